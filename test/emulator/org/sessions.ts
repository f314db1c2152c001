/** Sessions: the access and refresh tokens the org accepts, each naming its user. */
import { randomBytes } from 'node:crypto';

/** A random access token in Salesforce's opaque shape `<15-char org id>!<base62-ish>`. */
export function makeAccessToken(orgId: string): string {
  const body = randomBytes(72).toString('base64').replace(/\+/g, '.').replace(/\//g, '_').replace(/=+$/, '');
  return `${orgId.slice(0, 15)}!AQ${body}`;
}

/** A refresh token's user, and the OAuth consumer it was issued to (none: sf's own login). */
export type RefreshGrant = { userId: string; consumerId?: string };

export class Sessions {
  /** The token of the session the org starts with (its first user's): `Emulator.accessToken`. */
  public accessToken = '';
  /** Valid access tokens → user id. */
  private readonly access = new Map<string, string>();
  /** Valid refresh tokens → their user and the OAuth consumer (client) they were issued to, if any. */
  private readonly refresh = new Map<string, RefreshGrant>();

  /** Accepts an access token for a user from now on; returns the token. */
  public open(token: string, userId: string): string {
    this.access.set(token, userId);
    return token;
  }

  public userIdFor(accessToken: string): string | undefined {
    return this.access.get(accessToken);
  }

  public userIdForRefreshToken(refreshToken: string): string | undefined {
    return this.refresh.get(refreshToken)?.userId;
  }

  /** What a refresh token was issued for: its user and client (consumer id); undefined when it is not valid. */
  public refreshGrant(refreshToken: string): RefreshGrant | undefined {
    return this.refresh.get(refreshToken);
  }

  /**
   * Issues a refresh token for a user, as a finished web server flow would for the app whose consumer is named
   * (tests use it to play the connected vendor: its refresh grant needs that consumer's key and secret).
   */
  public issueRefreshToken(userId: string, consumerId?: string): string {
    const token = `5Aep861${randomBytes(48).toString('base64url')}`;
    this.refresh.set(token, { userId, consumerId });
    return token;
  }

  /** Revokes an access or a refresh token; false when the token is unknown. */
  public revoke(token: string): boolean {
    return this.access.delete(token) || this.refresh.delete(token);
  }

  /** Invalidates every access token (refresh tokens stay valid). */
  public expireAll(): void {
    this.access.clear();
  }
}
