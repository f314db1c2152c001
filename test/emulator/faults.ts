/**
 * Fault injection: rules matched against each request (method, path, SOAP method) that make the emulator answer
 * with an expired session, a 5xx, a delay, no answer at all, or a failing deploy component.
 */

export type FaultKind = 'expired-session' | 'http-500' | 'http-503' | 'delay' | 'hang' | 'deploy-component-failure';

export type FaultRule = {
  match?: {
    method?: string;
    /** Substring of the path, or a regular expression written `/…/flags`. */
    path?: string;
    soapMethod?: string;
  };
  fault: FaultKind;
  /** How many matching requests (or deploys) the rule applies to. Default: unlimited. */
  times?: number;
  /** For `delay`. Default 1000. */
  delayMs?: number;
  /** For `deploy-component-failure`: the component that fails and its problem. */
  component?: { type: string; fullName?: string; problem: string };
};

export type RequestInfo = { method: string; path: string; soapMethod?: string };

const FAULT_KINDS: readonly FaultKind[] = [
  'expired-session',
  'http-500',
  'http-503',
  'delay',
  'hang',
  'deploy-component-failure',
];

/** Validates a rule received as JSON (control endpoint); returns an error text or undefined. */
export function checkFaultRule(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'A fault rule must be a JSON object';
  const rule = value as Partial<FaultRule>;
  if (!rule.fault || !FAULT_KINDS.includes(rule.fault)) return `fault must be one of ${FAULT_KINDS.join(', ')}`;
  if (rule.fault === 'deploy-component-failure' && (!rule.component?.type || !rule.component.problem)) {
    return 'deploy-component-failure needs component: { type, fullName?, problem }';
  }
  if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1))
    return 'times must be a positive integer';
  return undefined;
}

function matchesText(pattern: string, value: string): boolean {
  const re = /^\/(.*)\/([a-z]*)$/.exec(pattern);
  return re ? new RegExp(re[1], re[2]).test(value) : value.includes(pattern);
}

type ActiveRule = FaultRule & { remaining: number };

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private onExpire: () => void;

  public constructor(onExpire: () => void = (): void => {}) {
    this.onExpire = onExpire;
  }

  /** Adds a rule; returns a function that removes it. */
  public add(rule: FaultRule): () => void {
    const problem = checkFaultRule(rule);
    if (problem) throw new Error(problem);
    const active: ActiveRule = { ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY };
    this.rules.push(active);
    return () => {
      this.rules = this.rules.filter((r) => r !== active);
    };
  }

  public clear(): void {
    this.rules = [];
  }

  public list(): FaultRule[] {
    return this.rules.map(({ remaining, ...rule }) => ({
      ...rule,
      ...(Number.isFinite(remaining) ? { times: remaining } : {}),
    }));
  }

  /** Invalidates the current access token for every endpoint (until `reset()` of the emulator). */
  public expireSession(): void {
    this.onExpire();
  }

  /** @internal Wires the emulator's session store. */
  public setExpireHandler(handler: () => void): void {
    this.onExpire = handler;
  }

  /** The first request-level rule (anything but deploy-component-failure) matching the request; consumes one use. */
  public take(request: RequestInfo): FaultRule | undefined {
    const rule = this.rules.find(
      (r) => r.fault !== 'deploy-component-failure' && r.remaining > 0 && ruleMatches(r, request),
    );
    if (!rule) return undefined;
    this.consume(rule);
    return rule;
  }

  /** Component failures to inject into the next deploy; consumes one use of each rule. */
  public takeDeployFailures(): Array<NonNullable<FaultRule['component']>> {
    const rules = this.rules.filter((r) => r.fault === 'deploy-component-failure' && r.remaining > 0);
    rules.forEach((r) => this.consume(r));
    return rules.map((r) => r.component as NonNullable<FaultRule['component']>);
  }

  private consume(rule: ActiveRule): void {
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
  }
}

function ruleMatches(rule: FaultRule, request: RequestInfo): boolean {
  const m = rule.match;
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== request.method.toUpperCase()) return false;
  if (m.path && !matchesText(m.path, request.path)) return false;
  if (m.soapMethod && m.soapMethod !== request.soapMethod) return false;
  return true;
}
