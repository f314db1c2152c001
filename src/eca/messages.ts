/* The External Client App bundle (messages/eca.md): its errors, for the modules of this folder and their callers. */
import { Messages, type SfError } from '@salesforce/core';
import { didYouMean } from '../shared/accessNames.js';
import { sfCommand } from '../shared/commandLine.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'eca');

/** One broken rule of a definition: the field (or flag) as the user gave it, and what is wrong. */
export type DefinitionProblem = { field: string; message: string };

export function invalidDefinitionError(problems: DefinitionProblem[]): SfError {
  const lines = problems.map((p) => `  - ${p.field}: ${p.message}`).join('\n');
  return messages.createError('error.RenInvalidDefinition', [lines]);
}

/** The org has no app of that name: points to `sf ren app create`. */
/**
 * The org has no app by that name: says which of its apps are close (a mistyped --app), and how to create it with
 * the org the user named.
 */
export function appNotFoundError(apiName: string, target?: string, similar: string[] = []): SfError {
  const create = sfCommand('ren app create', [
    ['--target-org', target],
    ['--app', apiName],
  ]);
  return messages.createError('error.RenAppNotFound', [apiName, didYouMean(similar)], [create]);
}

/** Several failed checks at once: one error that lists each, with every fix. */
export function preconditionsError(failures: SfError[]): SfError {
  const error = messages.createError('error.RenPreconditions', [failures.map((f) => `  - ${f.message}`).join('\n')]);
  error.actions = failures.flatMap((f) => f.actions ?? []);
  return error;
}

export function ecaError(key: string, tokens: string[] = [], actionTokens: string[] = []): SfError {
  return messages.createError(key, tokens, actionTokens);
}

export function ecaMessage(key: string, tokens: string[] = []): string {
  return messages.getMessage(key, tokens);
}
