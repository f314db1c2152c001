/**
 * Starts the emulator: `npm run emulator -- [--port N] [--seed file.json] [--cert-dir DIR] [--json] [--quiet]`
 * (runs this file from source through ts-node, see README.md).
 * Prints the URL, the access token and the CA certificate path, then serves until SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { OrgSeed } from './org/seed.js';
import { startEmulator } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    seed: { type: 'string' },
    'cert-dir': { type: 'string' },
    json: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  process.stderr.write(`Invalid --port: ${values.port ?? ''}\n`);
  process.exit(2);
}
const seed = values.seed ? (JSON.parse(readFileSync(values.seed, 'utf8')) as OrgSeed) : undefined;
const emulator = await startEmulator({ port, seed, certDir: values['cert-dir'], quiet: values.quiet });

process.stdout.write(`Salesforce emulator listening on ${emulator.url}\n`);
process.stdout.write(`Access token: ${emulator.accessToken}\n`);
process.stdout.write(`CA certificate: ${emulator.caCertPath}\n`);
if (values.json) {
  process.stdout.write(
    `${JSON.stringify({ url: emulator.url, port: emulator.port, accessToken: emulator.accessToken, caCertPath: emulator.caCertPath, orgId: emulator.org.organization.Id, username: emulator.org.sessionUser.Username })}\n`,
  );
}

const stop = (): void => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
