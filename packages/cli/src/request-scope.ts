import { HTTPTask, outcomeOfTask } from '@otel-top/model';

/**
 * What Enter on a route or a process narrows the Requests view to: exactly
 * the requests of one task name, or of one process on one host.
 */
export type RequestScope =
  | { readonly kind: 'route'; readonly name: string }
  | { readonly kind: 'process'; readonly host: string; readonly pid: number };

/** A request's task name as the live counters count it: `METHOD route`, else `METHOD path`. */
export function routeName(task: HTTPTask): string {
  return outcomeOfTask(task).name;
}

export function inScope(task: HTTPTask, scope: RequestScope | undefined): boolean {
  if (scope === undefined) return true;
  if (scope.kind === 'route') return routeName(task) === scope.name;
  return (task.hostName ?? '') === scope.host && task.processId === scope.pid;
}

/** The scope as the status line names it: `route GET /api/x`, `process vm1 pid 42`. */
export function describeScope(scope: RequestScope): string {
  return scope.kind === 'route' ? `route ${scope.name}` : `process ${scope.host} pid ${scope.pid}`;
}
