import { encodeTask, HTTPTask } from '@otel-top/model';

const STARTED = Date.parse('2026-11-23T20:00:00.000Z');

/**
 * The wire JSON of a task like the span processor writes for the benchmark's
 * request: same fields, same headers, a unique span id per `index`.
 */
export function sampleTaskJson(index: number, ended: boolean): { field: string; json: string } {
  const spanId = index.toString(16).padStart(16, '0');
  const startedAt = new Date(STARTED + index);
  const task = new HTTPTask({
    taskId: spanId,
    taskName: 'GET /api/items/:id',
    hostName: 'bench-host',
    processId: 4242,
    threadId: 0,
    processInternalId: spanId,
    processorName: '4242:main',
    startedAt,
    updatedAt: startedAt,
    tags: {
      'service.name': 'otel-top-bench',
      'deployment.environment.name': 'bench',
      trace_id: `${spanId}${spanId}`,
      span_id: spanId,
    },
    commandLine: ['/usr/bin/node', '/srv/app/build/server.js'],
    protocol: 'http',
    host: '127.0.0.1:3000',
    method: 'GET',
    path: `/api/items/${index % 1000}`,
    params: { page: '2', token: '[REDACTED]' },
    uri: `http://127.0.0.1:3000/api/items/${index % 1000}?page=2&token=[REDACTED]`,
    clientIpAddress: '127.0.0.1',
    requestHeaders: [
      ['HOST', '127.0.0.1:3000'],
      ['USER-AGENT', 'Mozilla/5.0 (X11; Linux x86_64) otel-top-bench/1.0'],
      ['X-FORWARDED-FOR', '203.0.113.7, 10.0.0.1'],
      ['CF-IPCOUNTRY', 'FI'],
    ],
  });
  if (ended) {
    task.endedAt = new Date(STARTED + index + 3);
    task.updatedAt = task.endedAt;
    task.recordedSuccessfully = true;
    task.statusCode = 200;
    task.statusMessage = '200 OK';
    task.responseHeaders = [
      ['content-length', '41'],
      ['content-type', 'application/json; charset=utf-8'],
    ];
  }
  return { field: `4242-0-${spanId}`, json: encodeTask(task, 16_384) };
}
