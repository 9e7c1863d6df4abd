export interface WaitForOptions {
  /** Give up after this long (ms, default 5,000). */
  timeoutMillis?: number;
  /** Poll this often (ms, default 10). */
  intervalMillis?: number;
  /** Said in the error when the condition never held. */
  message?: string;
}

/**
 * Polls `condition` until it returns a value other than undefined, null or
 * false, and resolves to that value. Tests wait for conditions, not for
 * fixed sleeps; the deadline keeps a broken condition from hanging a run.
 */
export async function waitFor<T>(
  condition: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitForOptions = {},
): Promise<T> {
  const timeoutMillis = options.timeoutMillis ?? 5_000;
  const intervalMillis = options.intervalMillis ?? 10;
  const deadline = Date.now() + timeoutMillis;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`${options.message ?? 'condition'} did not hold within ${timeoutMillis} ms${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMillis));
  }
}
