import { Agent, request } from 'node:http';

export interface LoadResult {
  served: number;
  failed: number;
}

/** Sends one request; resolves to its status code, or 0 when it failed. */
export function send(port: number, path: string, options: { method?: string; headers?: Record<string, string>; agent?: Agent } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', () => resolve({ status: 0, body }));
      },
    );
    req.setTimeout(5_000, () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

/**
 * Keeps `concurrency` requests in flight on keep-alive connections until
 * `durationMillis` has passed or `maxRequests` were sent: bounded in count
 * and time, like every load loop in the tests.
 */
export async function generateLoad(
  port: number,
  path: string,
  { concurrency, durationMillis, maxRequests }: { concurrency: number; durationMillis: number; maxRequests: number },
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const deadline = Date.now() + durationMillis;
  const result: LoadResult = { served: 0, failed: 0 };
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (Date.now() < deadline && sent < maxRequests) {
      sent++;
      const { status } = await send(port, path, { agent });
      if (status === 200) result.served++;
      else result.failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return result;
}
