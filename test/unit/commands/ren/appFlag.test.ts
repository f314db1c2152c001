/*
 * One flag names the app in every command: -a/--app. The names it had before (-n/--api-name for the External Client
 * App commands, -n/--name for connected-app) still parse into --app and are marked deprecated, so sf warns and the
 * command snapshot keeps them (sf's deprecation policy).
 */
import { expect } from 'chai';
import { Parser } from '@oclif/core';
import RenAppCreate from '../../../../src/commands/ren/app/create.js';
import RenAppDelete from '../../../../src/commands/ren/app/delete.js';
import RenAppPreauthorize from '../../../../src/commands/ren/app/preauthorize.js';
import RenAppStatus from '../../../../src/commands/ren/app/status.js';
import RenConnect from '../../../../src/commands/ren/connect.js';
import RenConnectedAppSetup from '../../../../src/commands/ren/connected-app/setup.js';
import RenConnectedAppStatus from '../../../../src/commands/ren/connected-app/status.js';
import RenOnboard from '../../../../src/commands/ren/onboard.js';
import RenReport from '../../../../src/commands/ren/report.js';

type FlagDef = { char?: string; aliases?: string[]; charAliases?: string[]; deprecateAliases?: boolean };
type Command = { id?: string; flags: Record<string, FlagDef> };

const COMMANDS: Array<[string, Command]> = [
  ['app create', RenAppCreate],
  ['app delete', RenAppDelete],
  ['app preauthorize', RenAppPreauthorize],
  ['app status', RenAppStatus],
  ['connect', RenConnect],
  ['connected-app setup', RenConnectedAppSetup],
  ['connected-app status', RenConnectedAppStatus],
  ['onboard', RenOnboard],
  ['report', RenReport],
];

/** Only the flags the parser needs, without the org flags (they would look the org up). */
const appOnly = (command: Command): Record<string, FlagDef> => ({ app: command.flags.app });

describe('the app flag', () => {
  for (const [name, command] of COMMANDS) {
    it(`sf ren ${name} names the app with -a/--app, and no other flag uses -a`, () => {
      expect(command.flags.app, 'an --app flag').to.not.equal(undefined);
      expect(command.flags.app.char).to.equal('a');
      const others = Object.entries(command.flags).filter(([key, flag]) => key !== 'app' && flag.char === 'a');
      expect(others.map(([key]) => key)).to.deep.equal([]);
    });
  }

  for (const [name, command, old] of [
    ['app create', RenAppCreate, 'api-name'],
    ['onboard', RenOnboard, 'api-name'],
    ['connected-app status', RenConnectedAppStatus, 'name'],
    ['connected-app setup', RenConnectedAppSetup, 'name'],
  ] as Array<[string, Command, string]>) {
    it(`sf ren ${name} keeps -n/--${old} as deprecated aliases of --app`, async () => {
      const flag = command.flags.app;
      expect(flag.aliases).to.deep.equal([old]);
      expect(flag.charAliases).to.deep.equal(['n']);
      expect(flag.deprecateAliases).to.equal(true);
      const long = await Parser.parse([`--${old}`, 'acme_sync'], { flags: appOnly(command) as never });
      const short = await Parser.parse(['-n', 'acme_sync'], { flags: appOnly(command) as never });
      expect(long.flags).to.deep.include({ app: 'acme_sync' });
      expect(short.flags).to.deep.include({ app: 'acme_sync' });
    });
  }
});
