import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { WEB_DEFAULTS } from './types.js';

/** What the session cookie holds is derived from the token, so the cookie never carries the token itself. */
const SESSION_PURPOSE = 'otel-top web session';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * The access token of a page served beyond loopback: what `?token=` must
 * match, and the value of the cookie that keeps it. Both are compared in
 * constant time over SHA-256 digests of equal length, so neither the token
 * nor its length leaks through timing.
 */
export class AccessToken {
  private readonly tokenDigest: Buffer;
  private readonly sessionDigest: Buffer;
  /** The cookie's value. */
  readonly session: string;

  constructor(token: string) {
    if (token.length < WEB_DEFAULTS.minTokenLength) {
      throw new RangeError(
        `otel-top web: the access token must be at least ${WEB_DEFAULTS.minTokenLength} characters; make one with \`openssl rand -hex 16\``,
      );
    }
    this.tokenDigest = digest(token);
    this.session = createHmac('sha256', token).update(SESSION_PURPOSE).digest('base64url');
    this.sessionDigest = digest(this.session);
  }

  matchesToken(candidate: string): boolean {
    return timingSafeEqual(digest(candidate), this.tokenDigest);
  }

  matchesSession(candidate: string): boolean {
    return timingSafeEqual(digest(candidate), this.sessionDigest);
  }
}
