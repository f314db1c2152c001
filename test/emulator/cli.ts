/**
 * Starts the emulator: `npm run emulator -- [options]` (runs this file from source through ts-node, see README.md).
 * Prints the URL, the access token and the CA certificate path, then serves until SIGINT/SIGTERM. `--help` prints
 * the usage (exit 0); a wrong option prints a short error and the usage (exit 2).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { OrgSeed } from './org/seed.js';
import {
  type Readings,
  READING_NAMES,
  READING_SPECS,
  STRICT_READINGS,
  describeValues,
  parseReadingArg,
} from './readings.js';

function usage(): string {
  const readings = READING_NAMES.map((name) => {
    const spec = READING_SPECS[name];
    return `  ${name} = ${describeValues(name)}  (default ${String(spec.default)}, strict ${String(spec.strict)})`;
  });
  return [
    'Usage: npm run emulator -- [options]',
    '',
    'A local Salesforce org emulator for tests and demos (test/emulator/README.md).',
    '',
    'Options:',
    '  --port N               port to listen on (default 0: a free port)',
    '  --seed FILE            JSON org seed (OrgSeed)',
    '  --cert-dir DIR         where cert.pem and key.pem are written (default: a temporary directory)',
    '  --reading NAME=VALUE   answer an open question this way (repeatable; over the seed and --strict)',
    '  --strict               every reading at its strict value (the one least favourable to the plugin)',
    '  --json                 also print the connection details as one JSON line',
    '  --quiet                do not log requests that match no route',
    '  --help                 print this help and exit',
    '',
    'Readings (README.md, "Readings"):',
    ...readings,
    '',
  ].join('\n');
}

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${usage()}`);
  process.exit(2);
}

const OPTIONS = {
  port: { type: 'string', default: '0' },
  seed: { type: 'string' },
  'cert-dir': { type: 'string' },
  reading: { type: 'string', multiple: true },
  strict: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

function parse(): ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>> {
  try {
    return parseArgs({ options: OPTIONS, strict: true, allowPositionals: false });
  } catch (err) {
    return fail((err as Error).message);
  }
}

const { values } = parse();
if (values.help) {
  process.stdout.write(usage());
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`Invalid --port: ${values.port ?? ''}`);

let seed: OrgSeed | undefined;
if (values.seed) {
  try {
    seed = JSON.parse(readFileSync(values.seed, 'utf8')) as OrgSeed;
  } catch (err) {
    fail(`Cannot read the seed ${values.seed}: ${(err as Error).message}`);
  }
}

const readings: Partial<Readings> = { ...seed?.readings, ...(values.strict ? STRICT_READINGS : {}) };
for (const arg of values.reading ?? []) {
  const parsed = parseReadingArg(arg);
  if ('problem' in parsed) fail(parsed.problem);
  Object.assign(readings, { [parsed.name]: parsed.value });
}

// The server (and every API module) is loaded only now, so --help and a wrong option answer at once.
const { startEmulator } = await import('./server.js');
let emulator;
try {
  emulator = await startEmulator({
    port,
    seed: { ...seed, readings },
    certDir: values['cert-dir'],
    quiet: values.quiet,
  });
} catch (err) {
  fail((err as Error).message);
}

process.stdout.write(`Salesforce emulator listening on ${emulator.url}\n`);
process.stdout.write(`Access token: ${emulator.accessToken}\n`);
process.stdout.write(`CA certificate: ${emulator.caCertPath}\n`);
const changed = READING_NAMES.filter((name) => emulator.org.readings[name] !== READING_SPECS[name].default);
if (changed.length > 0) {
  process.stdout.write(`Readings: ${changed.map((n) => `${n}=${String(emulator.org.readings[n])}`).join(', ')}\n`);
}
if (values.json) {
  process.stdout.write(
    `${JSON.stringify({ url: emulator.url, port: emulator.port, accessToken: emulator.accessToken, caCertPath: emulator.caCertPath, orgId: emulator.org.organization.Id, username: emulator.org.sessionUser.Username, readings: emulator.org.readings })}\n`,
  );
}

const running = emulator;
const stop = (): void => {
  void running.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
