import { HTTPTask, outcomeOfTask, TaskOutcome, TrackedTask } from '@otel-top/model';

/** A tracked task whose snapshot is fixed: the exporter and handler tests need no span for it. */
export class StaticTask implements TrackedTask {
  readonly processorId: string;

  constructor(readonly task: HTTPTask) {
    this.processorId = task.getProcessorTrackingId();
  }

  static make(id: number, fields: Partial<HTTPTask> = {}): StaticTask {
    return new StaticTask(
      new HTTPTask({
        taskId: String(id),
        processId: 4242,
        threadId: 0,
        processInternalId: `span${id}`,
        method: 'GET',
        path: `/item/${id}`,
        startedAt: new Date(Date.UTC(2026, 0, 1, 12, 0, 0, id)),
        ...fields,
      }),
    );
  }

  snapshot(): HTTPTask {
    return this.task;
  }

  outcome(): TaskOutcome {
    return outcomeOfTask(this.task);
  }
}

/** A tracked task whose snapshot fails, as a broken span would. */
export class BrokenTask implements TrackedTask {
  readonly processorId = 'broken';

  snapshot(): HTTPTask {
    throw new Error('span gone');
  }

  outcome(): TaskOutcome {
    throw new Error('span gone');
  }
}
