import type { NameMatcher } from './types';

export const REDACTED = '[REDACTED]';
const ENCODED_REDACTED = encodeURIComponent(REDACTED);

/** Headers that carry credentials or sessions (docs/architecture.md, principle 5). */
export const DEFAULT_REDACTED_HEADERS: ReadonlyArray<NameMatcher> = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  /api[-_]?key/i,
  /token/i,
  /secret/i,
  /passw(or)?d/i,
  /signature/i,
  /session/i,
  /credential/i,
];

/** Query parameters that look like secrets. */
export const DEFAULT_REDACTED_QUERY_PARAMS: ReadonlyArray<NameMatcher> = [
  /token/i,
  /key/i,
  /secret/i,
  /passw(or)?d|^pwd$/i,
  /signature|^sig$/i,
  /session/i,
  /^code$/i,
  /auth/i,
  /credential/i,
  /jwt/i,
];

/** Most names whose decision is remembered; real traffic repeats a few dozen. */
const MAX_REMEMBERED_NAMES = 1024;

function compile(matchers: ReadonlyArray<NameMatcher>): (name: string) => boolean {
  const exact = new Set(matchers.filter((m): m is string => typeof m === 'string').map((m) => m.toLowerCase()));
  const patterns = matchers.filter((m): m is RegExp => m instanceof RegExp);
  // Each name is tested against the patterns once, not on every task.
  const decisions = new Map<string, boolean>();
  return (name) => {
    let secret = decisions.get(name);
    if (secret === undefined) {
      secret = exact.has(name.toLowerCase()) || patterns.some((pattern) => pattern.test(name));
      if (decisions.size >= MAX_REMEMBERED_NAMES) decisions.clear();
      decisions.set(name, secret);
    }
    return secret;
  };
}

/** Decides which header and query values must not leave the process. */
export class Redactor {
  private readonly headerIsSecret: (name: string) => boolean;
  private readonly paramIsSecret: (name: string) => boolean;

  constructor(
    enabled = true,
    headers: ReadonlyArray<NameMatcher> = DEFAULT_REDACTED_HEADERS,
    queryParams: ReadonlyArray<NameMatcher> = DEFAULT_REDACTED_QUERY_PARAMS,
  ) {
    const never = (): boolean => false;
    this.headerIsSecret = enabled ? compile(headers) : never;
    this.paramIsSecret = enabled ? compile(queryParams) : never;
  }

  headerValue(name: string, value: string): string {
    return this.headerIsSecret(name) ? REDACTED : value;
  }

  paramValue(name: string, value: string): string {
    return this.paramIsSecret(name) ? REDACTED : value;
  }

  /**
   * A query string (without `?`) of these name-value pairs, secret values
   * hidden; `[REDACTED]` stays readable. `plain`: every name and value is
   * made of characters form encoding keeps (see parseQuery), so they are
   * joined as they are, which is what the encoder would write.
   */
  queryString(entries: Iterable<[string, string]>, plain = false): string {
    if (plain) {
      const parts: string[] = [];
      for (const [name, value] of entries) parts.push(`${name}=${this.paramValue(name, value)}`);
      return parts.join('&');
    }
    const redacted = new URLSearchParams();
    for (const [name, value] of entries) redacted.append(name, this.paramValue(name, value));
    return redacted.toString().replaceAll(ENCODED_REDACTED, REDACTED);
  }

  /** A command line with the values of secret-looking flags (`--token=x`, `--password x`) hidden. */
  commandLine(argv: ReadonlyArray<string>): string[] {
    const result: string[] = [];
    let hideNext = false;
    for (const arg of argv) {
      if (hideNext) {
        result.push(REDACTED);
        hideNext = false;
        continue;
      }
      const flag = /^--?([\w.-]+)(=.*)?$/.exec(arg);
      if (flag !== null && this.paramIsSecret(flag[1])) {
        if (flag[2] === undefined) hideNext = true;
        result.push(flag[2] === undefined ? arg : `${arg.slice(0, arg.indexOf('='))}=${REDACTED}`);
      } else {
        result.push(arg);
      }
    }
    return result;
  }
}
