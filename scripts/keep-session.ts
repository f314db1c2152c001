import { writeFileSync } from 'node:fs';
import { startSfSession } from '../test/e2e/harness.js';
const session = await startSfSession({ installTarball: process.argv[2] });
writeFileSync(
  process.argv[3],
  Object.entries({ ...session.env })
    .map(([k, v]) => `export ${k}='${String(v).replace(/'/g, "'\\''")}'`)
    .join('\n') + '\n',
);
console.log('ready', session.home);
process.on('SIGTERM', () => {
  void session.close().then(() => process.exit(0));
});
setInterval(() => {}, 1 << 30);
