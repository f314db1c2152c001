/**
 * Salesforce record ids: 15 case-sensitive characters (3-char key prefix + 12) plus the 3-char case-safe suffix
 * that makes the 18-char form unique under case-insensitive comparison.
 */

/** Key prefixes of the objects the emulator creates. */
export const KeyPrefix = {
  Organization: '00D',
  User: '005',
  Profile: '00e',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  ExternalClientApplication: '0xI',
  /** ExtlClntAppOauthSettings / policies rows share no documented prefix; the emulator uses these. */
  ExtlClntAppOauthSettings: '0xH',
  ExtlClntAppGlobalOauthSettings: '0xG',
  ExtlClntAppOauthConfigurablePolicies: '0xJ',
  ExtlClntAppConfigurablePolicies: '0xK',
  DeployRequest: '0Af',
  RetrieveRequest: '09S',
  ConnectedApplication: '0H4',
  SetupEntityAccess: '0J0',
  OauthToken: '0CQ',
  /** OAuth consumer (the key/secret pair of an app). */
  OauthConsumer: '0Cx',
  StagedCredential: '0Sc',
  Settings: '0Ns',
} as const;

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The 3-character case-safe suffix of a 15-character id. */
export function caseSafeSuffix(id15: string): string {
  if (!/^[A-Za-z0-9]{15}$/.test(id15)) throw new Error(`Not a 15-character Salesforce id: ${id15}`);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15[chunk * 5 + i];
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/** 18-character form of a 15- or 18-character id (an 18-character id is re-derived, so it is always consistent). */
export function to18(id: string): string {
  const id15 = id.slice(0, 15);
  return id15 + caseSafeSuffix(id15);
}

/** Case-sensitive comparison on the 15-character form, as Salesforce compares ids (15 and 18 forms are equal). */
export function sameId(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  return a.slice(0, 15) === b.slice(0, 15);
}

export function isSalesforceId(value: string): boolean {
  return /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(value);
}

/**
 * Makes new ids: key prefix + a 2-character "instance" part + a base62 sequence number, as real ids look
 * (`0xI5j000000AbCd`). Sequences are per prefix and skip ids already in use (e.g. from a seed).
 */
export class IdFactory {
  private readonly counters = new Map<string, number>();
  private readonly used = new Set<string>();

  public constructor(private readonly pod = '5j') {}

  public reserve(id: string): void {
    this.used.add(id.slice(0, 15));
  }

  public next(prefix: string): string {
    if (prefix.length !== 3) throw new Error(`Key prefix must be 3 characters: ${prefix}`);
    for (;;) {
      const n = (this.counters.get(prefix) ?? 0) + 1;
      this.counters.set(prefix, n);
      const id15 = prefix + this.pod + encodeBase62(n).padStart(12 - this.pod.length, '0');
      if (!this.used.has(id15)) {
        this.used.add(id15);
        return id15 + caseSafeSuffix(id15);
      }
    }
  }
}

function encodeBase62(n: number): string {
  let out = '';
  let rest = n;
  do {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out;
}
