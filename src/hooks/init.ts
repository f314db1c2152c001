/*
 * oclif's init hook, which runs before every sf command: for this plugin's commands only, the interrupt guard
 * listens for the whole run, so a Ctrl-C outside a secret-access window ends the command with the signal's exit
 * code (130, 143, 129) and one line instead of sf's ExitError stack trace. Other plugins' commands are untouched,
 * and the guard module is loaded only for ours. It also turns on Node's compile cache before the command's own
 * libraries load (shared/compileCache.ts).
 */
import type { Hook } from '@oclif/core';

const hook: Hook<'init'> = async function (options) {
  if (!options.id?.startsWith('ren:')) return;
  await import('../shared/compileCache.js');
  const { guardCommand } = await import('../shared/interruptGuard.js');
  guardCommand();
};

export default hook;
