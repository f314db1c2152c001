/** Org-level REST resources: the versions list (`/services/data`), a version's resource map, and limits. */
import { type EmulatorContext, identityUrl } from '../context.js';
import { type Reply, json } from '../http.js';
import type { UserRow } from '../org/directory.js';

export const MIN_API_VERSION = 31;

/** `31.0` … maxApiVersion. */
export function apiVersions(maxApiVersion: string): string[] {
  const max = Math.floor(Number(maxApiVersion));
  const out: string[] = [];
  for (let v = MIN_API_VERSION; v <= max; v++) out.push(`${v}.0`);
  return out;
}

export function isServedVersion(ctx: EmulatorContext, version: string): boolean {
  return apiVersions(ctx.state.maxApiVersion).includes(version);
}

/** Release name of an API version: three a year, v60 = Spring '24, v61 = Summer '24, v62 = Winter '25… */
function releaseLabel(version: number): string {
  const index = version - 60;
  const season = ['Spring', 'Summer', 'Winter'][((index % 3) + 3) % 3];
  const year = 24 + Math.floor((index + (season === 'Winter' ? 1 : 0)) / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

/** `GET /services/data`. */
export function versionsList(ctx: EmulatorContext): Reply {
  return json(
    200,
    apiVersions(ctx.state.maxApiVersion).map((version) => ({
      label: releaseLabel(Number(version)),
      url: `/services/data/v${version}`,
      version,
    })),
  );
}

/** `GET /services/data/vXX.X`. */
export function resourceMap(ctx: EmulatorContext, version: string, user: UserRow): Reply {
  const base = `/services/data/v${version}`;
  const names = [
    'tooling',
    'metadata',
    'eclair',
    'folders',
    'jsonxform',
    'chatter',
    'tabs',
    'appMenu',
    'quickActions',
    'queryAll',
    'commerce',
    'wave',
    'iot',
    'analytics',
    'search',
    'composite',
    'parameterizedSearch',
    'fingerprint',
    'theme',
    'nouns',
    'event',
    'recent',
    'connect',
    'licensing',
    'limits',
    'process',
    'async-queries',
    'query',
    'jobs',
    'match',
    'localizedvalue',
    'mobile',
    'emailConnect',
    'sobjects',
    'actions',
    'support',
    'apps',
  ];
  const map: Record<string, string> = Object.fromEntries(names.map((n) => [n, `${base}/${n}`]));
  map.identity = identityUrl(ctx, user);
  return json(200, map);
}

/** `GET …/limits`: the limits sf and the plugin look at, with generous remaining values. */
export function limits(ctx: EmulatorContext): Reply {
  const requests = ctx.state.deploys.size + 1;
  const limit = (max: number, used = 0): { Max: number; Remaining: number } => ({ Max: max, Remaining: max - used });
  return json(200, {
    ActiveScratchOrgs: limit(3),
    DailyApiRequests: limit(15_000, requests),
    DailyAsyncApexExecutions: limit(250_000),
    DailyBulkApiBatches: limit(15_000),
    DailyBulkV2QueryJobs: limit(10_000),
    DailyScratchOrgs: limit(6),
    DataStorageMB: limit(5),
    FileStorageMB: limit(20),
    SingleEmail: limit(15),
  });
}
