/*
 * The readiness report's shape: what `sf ren report --json` returns, what the JSON format writes (its schema is
 * schemas/ren-report.json) and what every renderer reads. Nothing here holds a secret or a token: checks carry
 * names, expected and actual values and fixes; usage carries counts and dates.
 */
import type { Check, CheckStatus } from '../shared/checks.js';

/** An org is ready (nothing failed, nothing pending), pending (nothing failed, something not true yet) or failing. */
export type ReadinessStatus = 'ready' | 'pending' | 'failing';

/**
 * Where a check belongs on the page: the org's prerequisites, the running user's permissions for each step of the
 * guide, Ren's External Client App (every check of `sf ren app status`), or a vendor's connected app.
 */
export type CheckGroup = 'org' | 'user' | 'app' | 'connected-app';

/** The Setup page that shows (and fixes) a check: its name, its path, and the org's own URL of it (not when redacted). */
export type SetupLink = { page: string; path: string; url?: string };

export type ReportCheck = Check & { group: CheckGroup; setup?: SetupLink };

/** Who has connected to the app: OAuth tokens of the org (OauthToken rows), counted; never a token value. */
export type AppUsage = {
  /** Distinct users holding a token. */
  users: number;
  tokens: number;
  /** The latest LastUsedDate of any token. */
  lastUsed?: string;
  /** CreatedDate of the newest and of the oldest token. */
  newestToken?: string;
  oldestToken?: string;
};

export type OrgReport = {
  /** The org as the user named it (alias or username; every name when named several ways); "org N" when redacted. */
  org: string;
  /** Left out with --redact. */
  username?: string;
  /** Left out with --redact. */
  orgId?: string;
  /** The org's login URL (its My Domain), which the Setup links start with. Left out with --redact. */
  loginUrl?: string;
  /** Organization.OrganizationType, e.g. "Developer Edition". */
  edition?: string;
  status: ReadinessStatus;
  counts: Record<CheckStatus, number>;
  checks: ReportCheck[];
  usage?: AppUsage;
  /** Why the usage could not be read. */
  usageError?: string;
  /** The vendor connected app of --connected-app: its name and how far the org is with it. */
  connectedApp?: { name: string; stage: string };
  /** Why the org could not be read at all (a bad alias, an expired login): it counts as failing. */
  error?: { name: string; message: string; actions?: string[] };
};

export type ReadinessSummary = { orgs: number; ready: number; pending: number; failing: number };

export type ReadinessReport = {
  /** When the org was read (ISO 8601). */
  generatedAt: string;
  /** The External Client App checked (API name). */
  app: string;
  /** The vendor connected app checked too (--connected-app), if any. */
  connectedApp?: string;
  /** Usernames, org ids and the orgs' hosts are hidden (--redact). */
  redacted: boolean;
  summary: ReadinessSummary;
  /** Every org is ready; the exit code is 0 exactly then. */
  ok: boolean;
  /** No org is failing but some are pending (exit code 69: run again later). */
  pending: boolean;
  /** One entry per org, in the order given. */
  orgs: OrgReport[];
};
