/** What every route handler can reach: the live org state, the fault injector and the emulator's base URL. */
import type { FaultInjector } from './faults.js';
import type { UserRow } from './org/directory.js';
import type { OrgState } from './org/state.js';

export type EmulatorContext = {
  readonly state: OrgState;
  readonly faults: FaultInjector;
  /** `https://127.0.0.1:PORT` */
  readonly url: string;
};

/** The org's My Domain URL: the seeded one, or the emulator URL itself. */
export function myDomainUrl(ctx: EmulatorContext): string {
  return ctx.state.myDomain ?? ctx.url;
}

/** The identity URL of a user, `…/id/<orgId>/<userId>`. */
export function identityUrl(ctx: EmulatorContext, user: UserRow): string {
  return `${ctx.url}/id/${ctx.state.organization.Id}/${user.Id}`;
}
