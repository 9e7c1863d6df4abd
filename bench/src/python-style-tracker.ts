import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import { encodeTask, HeaderPair, HTTPTask, trackingTableKeys } from '@otel-top/model';

const keys = trackingTableKeys();
const MAX_COMPLETED_TASKS = 256;
const MAX_TASK_BYTES = 16_384;

/**
 * Tracking done the way the Python writer does it, as the reference point:
 * every step is an awaited Redis command on the request path. At the start
 * HSET `processors` + PUBLISH; at the end, before the response goes out, HDEL
 * + PUBLISH + LPUSH + LTRIM `past_tasks`: six round trips per request.
 */
export class PythonStyleTracker {
  private nextId = 0;

  constructor(private readonly client: Redis) {}

  middleware(): RequestHandler {
    return (request: Request, response: Response, next: NextFunction) => {
      void this.track(request, response, next);
    };
  }

  private async track(request: Request, response: Response, next: NextFunction): Promise<void> {
    const task = this.startTask(request);
    const field = task.getProcessorTrackingId();
    try {
      const json = encodeTask(task, MAX_TASK_BYTES);
      await this.client.hset(keys.processors, field, json);
      await this.client.publish(keys.taskUpdates, json);
    } catch {
      // As the Python writer, a failed write is skipped; the request goes on.
    }
    const end = response.end.bind(response) as (...args: unknown[]) => Response;
    (response as { end: (...args: unknown[]) => Response }).end = (...args: unknown[]): Response => {
      void this.endTask(task, field, response.statusCode).finally(() => end(...args));
      return response;
    };
    next();
  }

  private async endTask(task: HTTPTask, field: string, statusCode: number): Promise<void> {
    task.endedAt = new Date();
    task.updatedAt = task.endedAt;
    task.recordedSuccessfully = true;
    task.statusCode = statusCode;
    task.statusMessage = `${statusCode}`;
    try {
      const json = encodeTask(task, MAX_TASK_BYTES);
      await this.client.hdel(keys.processors, field);
      await this.client.publish(keys.taskUpdates, json);
      await this.client.lpush(keys.pastTasks, json);
      await this.client.ltrim(keys.pastTasks, 0, MAX_COMPLETED_TASKS - 1);
    } catch {
      // Skipped, as above.
    }
  }

  private startTask(request: Request): HTTPTask {
    const id = String(++this.nextId);
    const headers: HeaderPair[] = [];
    for (let i = 0; i < request.rawHeaders.length; i += 2) {
      headers.push([request.rawHeaders[i].toUpperCase(), request.rawHeaders[i + 1]]);
    }
    const now = new Date();
    return new HTTPTask({
      taskId: id,
      processInternalId: id,
      hostName: 'bench',
      processId: process.pid,
      threadId: 0,
      processorName: `${process.pid}:main`,
      startedAt: now,
      updatedAt: now,
      commandLine: process.argv,
      protocol: request.protocol,
      host: request.headers.host ?? null,
      method: request.method,
      path: request.path,
      params: { page: String(request.query.page ?? '') },
      uri: request.originalUrl,
      clientIpAddress: request.socket.remoteAddress ?? null,
      requestHeaders: headers,
    });
  }
}
