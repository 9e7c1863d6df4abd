import { HTTPTask, outcomeOfTask, TaskOutcome, TrackedTask } from '@otel-top/model';

let next = 0;

/** A tracked task whose snapshot is a fixed HTTPTask; ends when `end()` is called. */
export class StaticTask implements TrackedTask {
  readonly processorId: string;
  readonly task: HTTPTask;

  constructor(path = '/', method = 'GET') {
    const id = `t${++next}`;
    this.processorId = `${process.pid}-0-${id}`;
    this.task = new HTTPTask({
      taskId: id,
      processInternalId: id,
      processId: process.pid,
      threadId: 0,
      method,
      path,
      taskName: `${method} ${path}`,
      startedAt: new Date(),
    });
  }

  end(statusCode = 200): this {
    this.task.endedAt = new Date();
    this.task.recordedSuccessfully = true;
    this.task.statusCode = statusCode;
    return this;
  }

  snapshot(): HTTPTask {
    return this.task;
  }

  outcome(): TaskOutcome {
    return outcomeOfTask(this.task);
  }
}
