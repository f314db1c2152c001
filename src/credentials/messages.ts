/* The credentials bundle (messages/credentials.md): its errors and texts, for the modules of this folder. */
import { Messages, type SfError } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'credentials');

export function credentialsError(key: string, tokens: string[] = [], actionTokens: string[] = []): SfError {
  return messages.createError(key, tokens, actionTokens);
}

export function credentialsMessage(key: string, tokens: string[] = []): string {
  return messages.getMessage(key, tokens);
}
