/**
 * The set-up the `sf ren connect` end-to-end files share: one sf session logged into an emulator holding Ren's app
 * (reset to it before each test), a stand-in for Ren's endpoint, and `connect(args)` running the real command.
 */
import { join } from 'node:path';
import type { RenConnectResult } from '../../src/commands/ren/connect.js';
import { trustCertificate } from '../emulator/test/helpers.js';
import { type SfResult, type SfSession, startSfSession } from './harness.js';
import { startRenReceiver, type RenReceiver } from './renReceiver.js';
import { type SfJson, jsonOf, renOrgSeed } from './renOrg.js';

export type ConnectRun = SfResult & { body: SfJson<RenConnectResult> };

export type ConnectSession = {
  readonly session: SfSession;
  readonly receiver: RenReceiver;
  /** Runs `sf ren connect --target-org <alias> …args`. */
  connect: (args: string[], env?: NodeJS.ProcessEnv, input?: string) => Promise<ConnectRun>;
  /** A new file path in the session's HOME. */
  freshFile: () => string;
};

/** Hooks for the enclosing suite; read the fixture's fields in hooks and tests. */
export function useConnectSession(): ConnectSession {
  let session: SfSession | undefined;
  let receiver: RenReceiver | undefined;
  let n = 0;
  before(async () => {
    session = await startSfSession({ seed: renOrgSeed(), linkPlugin: true });
    // This process calls the emulator too (e.g. its token endpoint), so it trusts its certificate.
    trustCertificate(session.emulator.caCertPath);
    receiver = await startRenReceiver();
  });
  after(async () => {
    await receiver?.close();
    await session?.close();
  });
  beforeEach(() => {
    session?.emulator.reset(renOrgSeed());
    receiver?.received.splice(0);
    receiver?.answer([]);
    receiver?.listen(undefined);
  });
  const fixture: ConnectSession = {
    get session(): SfSession {
      if (!session) throw new Error('useConnectSession: read the session in hooks and tests');
      return session;
    },
    get receiver(): RenReceiver {
      if (!receiver) throw new Error('useConnectSession: read the receiver in hooks and tests');
      return receiver;
    },
    connect: async (args, env = {}, input) => {
      const run = await fixture.session.sf(['ren', 'connect', '--target-org', fixture.session.alias, ...args], {
        env,
        input,
      });
      return { ...run, body: jsonOf<RenConnectResult>(run) };
    },
    freshFile: () => join(fixture.session.home, `ren-${++n}.json`),
  };
  return fixture;
}
