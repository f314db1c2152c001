/*
 * Opening a Setup page in the browser the way `sf org open --path` does (plugin-org orgOpenCommandBase): a one-time
 * front door link from the org (Org.getFrontDoorUrl, the UI Bridge API) so the admin lands on the page logged in,
 * opened with the `open` package; in container mode (SF_CONTAINER_MODE / SFDX_CONTAINER_MODE) nothing is opened and
 * the admin is told to paste the page's address. The front door link carries a session and is never printed.
 */
import type { Org } from '@salesforce/core';
import { env } from '@salesforce/kit';

export type OpenOutcome = 'opened' | 'container-mode' | 'failed';

export type Opener = (url: string) => Promise<{ on(event: 'error', listener: (error: Error) => void): unknown }>;

async function defaultOpener(url: string): ReturnType<Opener> {
  const { default: open } = await import('open');
  return open(url);
}

/**
 * Opens `pageUrl` (an absolute Setup URL of the org). Falls back to the plain address when the org gives no front
 * door link (the browser then asks the admin to log in).
 */
export async function openSetupPage(
  org: Org,
  pageUrl: string,
  opener: Opener = defaultOpener,
): Promise<{ outcome: OpenOutcome; problem?: string }> {
  if (env.getBoolean('SF_CONTAINER_MODE') || env.getBoolean('SFDX_CONTAINER_MODE'))
    return { outcome: 'container-mode' };
  const path = new URL(pageUrl);
  let target = pageUrl;
  let problem: string | undefined;
  try {
    target = await org.getFrontDoorUrl(`${path.pathname}${path.search}`);
  } catch (error) {
    problem = (error as Error).message;
  }
  try {
    const child = await opener(target);
    // A launcher that fails later must not crash the command (sf org open rethrows it from the listener).
    child.on('error', () => undefined);
    return { outcome: 'opened', problem };
  } catch (error) {
    return { outcome: 'failed', problem: (error as Error).message };
  }
}
