/*
 * oclif's init hook, which runs before every sf command: for this plugin's commands only, the interrupt guard
 * listens for the whole run, so a Ctrl-C outside a secret-access window ends the command with the signal's exit
 * code (130, 143, 129) and one line instead of sf's ExitError stack trace. Other plugins' commands are untouched,
 * and the guard module is loaded only for ours. It also turns on Node's compile cache before the command's own
 * libraries load (shared/compileCache.ts).
 *
 * `--help` (and `-h`) only prints help, which oclif renders from the manifest after this hook: the guard is not
 * loaded then, since loading it loads the plugin's own copy of @salesforce/core (about half a second; see the
 * README's Speed section).
 */
import type { Hook } from '@oclif/core';

/** oclif's own help flags (no ren command uses -h for anything else). */
const HELP_FLAGS = new Set(['--help', '-h']);

const hook: Hook<'init'> = async function (options) {
  if (!options.id?.startsWith('ren:')) return;
  await import('../shared/compileCache.js');
  if (options.argv.some((arg) => HELP_FLAGS.has(arg))) return;
  const { guardCommand } = await import('../shared/interruptGuard.js');
  guardCommand();
};

export default hook;
