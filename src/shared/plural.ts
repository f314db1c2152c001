/*
 * Counted nouns for messages: "1 check", "2 checks", "0 minutes". Salesforce's Messages has no plural rules, so a
 * message says "%s failed" and gets counted(n, 'check'); the words live in messages/plural.md.
 */
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'plural');

export type Noun = 'check' | 'warning' | 'org' | 'minute' | 'setting' | 'token' | 'user';

/** "1 check", "0 checks", "2 checks" (English: only exactly one is singular). */
export function counted(count: number, noun: Noun): string {
  return messages.getMessage(`${noun}.${count === 1 ? 'one' : 'other'}`, [String(count)]);
}
