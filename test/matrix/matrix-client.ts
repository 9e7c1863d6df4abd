import { request as httpRequest, IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface MatrixResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** When the request was sent and the response ended (ms since epoch). */
  sentAt: number;
  endedAt: number;
}

/** One request on a fresh loopback connection, over http or https (trusting `ca`). */
export function send(
  target: { port: number; protocol: 'http' | 'https'; ca?: string },
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<MatrixResponse> {
  const request = target.protocol === 'https' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const sentAt = Date.now();
    const req = request(
      { host: '127.0.0.1', port: target.port, path, method: options.method ?? 'GET', headers: options.headers, agent: false, ca: target.ca },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, sentAt, endedAt: Date.now() }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`request to ${path} timed out`)));
    req.on('error', reject);
    req.end();
  });
}
