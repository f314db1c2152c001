/*
 * The one consent rule of every command: anything that reveals a secret or breaks something (a rotation, a delete)
 * needs a yes at a terminal, or --no-prompt given in advance (scripts). --json never asks, so with --json only
 * --no-prompt agrees. Declining is a plain exit: the command says nothing was done and ends with exit code 0.
 */
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'consent');

export type ConsentRequest = {
  noPrompt: boolean;
  json: boolean;
  /** The question, e.g. "Show the consumer secret of ren in acme?". */
  question: string;
  /** What the command would do, for the refusal: "show the consumer secret". */
  action: string;
  /** The same command with --no-prompt, to print as the fix. */
  withNoPrompt: string;
  timeoutMs?: number;
};

export type Confirm = (options: { message: string; ms: number }) => Promise<boolean>;

/**
 * True when the user agreed (--no-prompt, or yes at the terminal), false when they said no. Throws
 * RenNeedsConsentError when nobody can be asked.
 */
export async function askConsent(
  confirm: Confirm,
  request: ConsentRequest,
  stdin: { isTTY?: boolean } = process.stdin,
): Promise<boolean> {
  if (request.noPrompt) return true;
  if (request.json || !stdin.isTTY) {
    const reason = messages.getMessage(request.json ? 'reason.json' : 'reason.noTerminal');
    throw messages.createError('error.RenNeedsConsent', [request.action, reason], [request.withNoPrompt]);
  }
  return confirm({ message: request.question, ms: request.timeoutMs ?? 60_000 });
}

/** What a command prints when the user said no. */
export const declinedMessage = (): string => messages.getMessage('declined');
