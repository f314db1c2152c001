/*
 * The Login URL Ren sends users to (`<loginUrl>/services/oauth2/authorize`): the org's My Domain URL
 * (docs/salesforce.md §3). A wrong one makes Ren's login fail with "External client app is not installed in
 * this org", so it is taken from the org itself and normalized to `https://host`.
 */
import type { Connection } from '@salesforce/core';
import { isLoopbackAddress, urlProblem } from '../shared/urls.js';

/** `https://host[:port]`, lower-case host, no trailing slash. */
export function normalizeLoginUrl(value: string): string {
  const url = new URL(value);
  return `${url.protocol}//${url.host.toLowerCase()}`;
}

/** An instance host (na123.salesforce.com, cs42.salesforce.com), which is not the org's own domain. */
export function isInstanceHost(host: string): boolean {
  return /^[a-z]{2,4}\d+(-s)?\.salesforce\.com$/i.test(host);
}

type UserInfo = { urls?: { custom_domain?: string } };

/**
 * The org's login URL from the connection: its My Domain (sandboxes and scratch orgs keep theirs). An
 * instance host falls back to the My Domain the identity service names, else the generic login host.
 */
export async function orgLoginUrl(conn: Connection): Promise<string> {
  const instance = normalizeLoginUrl(conn.instanceUrl);
  const host = new URL(instance).hostname;
  if (!isInstanceHost(host) || isLoopbackAddress(host)) return instance;
  const info = await conn.request<UserInfo>('/services/oauth2/userinfo').catch(() => undefined);
  const custom = info?.urls?.custom_domain;
  if (custom && !urlProblem(normalizeLoginUrl(custom), { originOnly: true })) return normalizeLoginUrl(custom);
  const sandbox = await conn
    .query<{ IsSandbox: boolean }>('SELECT IsSandbox FROM Organization')
    .then((r) => r.records[0]?.IsSandbox === true)
    .catch(() => false);
  return sandbox ? 'https://test.salesforce.com' : 'https://login.salesforce.com';
}
