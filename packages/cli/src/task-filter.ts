import type { HTTPTask } from '@otel-top/model';
import { taskRoute, taskService } from './column-catalog.js';

/**
 * The `/` filter: words separated by spaces, all of which must match
 * (case-insensitively, as a substring) one of the request's path, route,
 * method, status (`404`, or its class `4xx`), IP, host or server name, or
 * service.
 */
export class TaskFilter {
  private readonly terms: string[];

  constructor(readonly query: string) {
    this.terms = query.toLowerCase().split(/\s+/).filter((term) => term !== '');
  }

  get isEmpty(): boolean {
    return this.terms.length === 0;
  }

  matches(task: HTTPTask): boolean {
    if (this.terms.length === 0) return true;
    const status = task.statusCode;
    const haystack = [
      task.path,
      taskRoute(task),
      task.method,
      status === null ? undefined : String(status),
      status === null ? undefined : `${Math.floor(status / 100)}xx`,
      task.getOriginalIp(),
      task.clientIpAddress,
      task.getHost(),
      task.hostName,
      taskService(task),
    ]
      .filter((value): value is string => typeof value === 'string' && value !== '')
      .map((value) => value.toLowerCase());
    return this.terms.every((term) => haystack.some((value) => value.includes(term)));
  }
}
