import { startSfSession } from '../test/e2e/harness.js';
import { renOrgSeed } from '../test/e2e/renOrg.js';
const session = await startSfSession({ linkPlugin: true, seed: renOrgSeed({ oauthPolicies: { refreshTokenPolicyType: 'Zero' } }) });
try {
  await session.addOrg('second');
  for (const line of (process.env.CMDS ?? '').split(';')) {
    const args = line.trim().split(/\s+/).filter(Boolean);
    if (args.length === 0) continue;
    const r = await session.sf(args, { env: { CI: '' } });
    console.log(`\n===== sf ${args.join(' ')} (exit ${r.code})\n${r.stdout}${r.stderr ? '--- stderr\n' + r.stderr : ''}`);
  }
} finally {
  await session.close();
}
