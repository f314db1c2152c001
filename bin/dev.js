#!/usr/bin/env -S node --loader ts-node/esm --disable-warning=ExperimentalWarning --disable-warning=DEP0180
// Runs the plugin's commands from the TypeScript source, e.g. `./bin/dev.js ren app create --help`
// (Node 22 first on PATH: `sh scripts/node22.sh ./bin/dev.js …`).
import { execute } from '@oclif/core';

await execute({ development: true, dir: import.meta.url });
