/* The onboard bundle (messages/onboard.md): its errors, for the modules of this folder. */
import { Messages, type SfError } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'onboard');

export function onboardError(key: string, tokens: string[] = [], actionTokens: string[] = []): SfError {
  return messages.createError(key, tokens, actionTokens);
}
