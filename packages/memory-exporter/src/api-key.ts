import { createHash, timingSafeEqual } from 'node:crypto';

/** Environment variable with the tracker API key, shared with the Python Top Framework. */
export const WEB_API_KEY_ENV = 'TOP_WEB_API_KEY';
/** The shortest key accepted: the data holds IP addresses, paths and parameters of real users. */
export const MIN_API_KEY_LENGTH = 32;

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * The secret a tracker endpoint requires. Refuses short keys when created,
 * and compares candidates in constant time (over digests, so that not even
 * the key's length leaks).
 */
export class ApiKey {
  private readonly expected: Buffer;

  constructor(key: string | undefined, source = 'apiKey') {
    if (key === undefined || key === '') {
      throw new TypeError(
        `otel-top: the tracker endpoint needs an API key: set ${WEB_API_KEY_ENV} (e.g. to the output of \`openssl rand -hex 32\`)`,
      );
    }
    if (key.length < MIN_API_KEY_LENGTH) {
      throw new TypeError(
        `otel-top: the tracker API key from ${source} is too short: ${key.length} characters, at least ${MIN_API_KEY_LENGTH} ` +
          'are needed (e.g. the output of `openssl rand -hex 32`)',
      );
    }
    this.expected = digest(key);
  }

  /** From the option, else env TOP_WEB_API_KEY. */
  static resolve(key: string | undefined): ApiKey {
    return key !== undefined ? new ApiKey(key, 'the apiKey option') : new ApiKey(process.env[WEB_API_KEY_ENV], WEB_API_KEY_ENV);
  }

  matches(candidate: string): boolean {
    return timingSafeEqual(digest(candidate), this.expected);
  }
}
