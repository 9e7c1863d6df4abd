import autocannon from 'autocannon';
import { serveRequests } from './child-endpoint';
import type { LoadOptions, LoadResult } from './types';

/** A request as a browser behind a proxy sends it: the headers and query the viewer's columns use, one secret. */
const REQUEST_PATH = '/api/items/42?page=2&token=not-a-real-secret';
const REQUEST_HEADERS = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) otel-top-bench/1.0',
  'x-forwarded-for': '203.0.113.7, 10.0.0.1',
  'cf-ipcountry': 'FI',
  accept: 'application/json',
};

function run(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${options.url}${REQUEST_PATH}`,
        headers: REQUEST_HEADERS,
        connections: options.connections,
        ...(options.amount === undefined ? { duration: options.durationSeconds ?? 10 } : { amount: options.amount }),
        ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
        timeout: 10,
      },
      (error, result) => {
        clearTimeout(watchdog);
        if (error !== null && error !== undefined) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        const responses = result.requests.total;
        resolve({
          requests: responses,
          requestsPerSecond: responses / Math.max(result.duration, 0.001),
          latencyP50Ms: result.latency.p50,
          latencyP99Ms: result.latency.p99,
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          durationSeconds: result.duration,
        });
      },
    );
    // Every run is bounded in time, whatever its request count.
    const watchdog = setTimeout(() => instance.stop(), options.maxSeconds * 1000);
  });
}

serveRequests({ pid: process.pid }, { run: (options: LoadOptions) => run(options) });
