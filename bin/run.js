#!/usr/bin/env node
// Runs the plugin's compiled commands from lib/ (after `npm run build`), as `sf` would.
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
