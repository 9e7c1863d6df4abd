import { HTTPTask } from '@otel-top/model';

/** The moment every unit test renders at. */
export const NOW = new Date('2026-11-23T21:16:30.000Z');

const at = (millisBeforeNow: number): Date => new Date(NOW.getTime() - millisBeforeNow);

interface Request {
  id: string;
  pid: number;
  method?: string;
  path: string;
  route?: string;
  ip?: string;
  country?: string;
  agent?: string;
  startedAgo: number;
  /** Undefined: still running. */
  endedAgo?: number;
  status?: number;
  length?: number;
  recorded?: boolean;
  host?: string;
  service?: string;
}

/** A task as the span processor writes it, with fixed times relative to NOW. */
export function request(fields: Request): HTTPTask {
  const method = fields.method ?? 'GET';
  const requestHeaders: Array<[string, string]> = [['HOST', 'shop.example:8080']];
  if (fields.agent !== undefined) requestHeaders.push(['USER-AGENT', fields.agent]);
  if (fields.ip !== undefined) requestHeaders.push(['X-FORWARDED-FOR', `${fields.ip}, 10.0.0.1`]);
  if (fields.country !== undefined) requestHeaders.push(['CF-IPCOUNTRY', fields.country]);
  const ended = fields.endedAgo !== undefined;
  return new HTTPTask({
    taskId: fields.id,
    taskName: `${method} ${fields.route ?? fields.path}`,
    hostName: fields.host ?? 'vm1',
    processId: fields.pid,
    threadId: 0,
    processInternalId: fields.id,
    processorName: `${fields.pid}:main`,
    startedAt: at(fields.startedAgo),
    updatedAt: at(fields.endedAgo ?? fields.startedAgo),
    endedAt: ended ? at(fields.endedAgo ?? 0) : null,
    recordedSuccessfully: ended ? (fields.recorded ?? true) : null,
    tags: { 'service.name': fields.service ?? 'shop', trace_id: `${fields.id.padEnd(32, '0')}`, span_id: fields.id.padEnd(16, '0') },
    commandLine: ['/usr/bin/node', 'server.js'],
    protocol: 'http',
    host: '127.0.0.1:8080',
    method,
    path: fields.path,
    uri: `http://shop.example:8080${fields.path}`,
    clientIpAddress: '10.0.0.1',
    requestHeaders,
    statusCode: fields.status ?? null,
    statusMessage: fields.status === undefined ? null : `${fields.status}`,
    responseHeaders: fields.length === undefined ? [] : [['Content-Length', String(fields.length)]],
  });
}

/** Two running requests (one stalled) and four completed ones, with countries. */
export function activeTasks(): HTTPTask[] {
  return [
    request({ id: 'a1', pid: 101, path: '/api/search', route: '/api/search', ip: '203.0.113.185', country: 'FI', agent: 'curl/8.5.0', startedAgo: 383 }),
    request({ id: 'a2', pid: 102, path: '/api/export', ip: '203.0.113.20', country: 'GB', agent: 'python-requests/2.32.3', startedAgo: 41_300 }),
  ];
}

export function completedTasks(): HTTPTask[] {
  return [
    request({ id: 'c1', pid: 101, path: '/api/products', ip: '192.0.2.175', country: 'FI', agent: 'Mozilla/5.0', startedAgo: 116, endedAgo: 94, status: 200, length: 801 }),
    request({ id: 'c2', pid: 102, method: 'POST', path: '/api/orders', ip: '192.0.2.175', agent: 'Mozilla/5.0', startedAgo: 653, endedAgo: 303, status: 201, length: 26 }),
    request({ id: 'c3', pid: 101, path: '/api/fail', ip: '198.51.100.23', agent: 'curl/8.5.0', startedAgo: 3_500, endedAgo: 1_000, status: 500, length: 21 }),
    request({ id: 'c4', pid: 102, path: '/static/logo.png', route: '/static/*', ip: '192.0.2.55', agent: 'Googlebot/2.1', startedAgo: 1_519, endedAgo: 1_518, status: 404, length: 154 }),
  ];
}
