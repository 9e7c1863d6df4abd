import { encodeTask, TaskExporter, TrackedTask } from '@otel-top/model';

/**
 * Does the CPU work the Redis exporter must do for a task (snapshot the span,
 * encode the JSON) right away, and writes nothing: the floor of what a
 * lifecycle costs before Redis and batching.
 */
export class EncodeOnlyExporter implements TaskExporter {
  private encodedBytes = 0;
  private completed = 0;

  taskStarted(): void {}

  taskEnded(task: TrackedTask): void {
    this.encodedBytes += encodeTask(task.snapshot(), 16_384).length;
    this.completed++;
  }

  getStats(): { queued: number; writtenCompleted: number; dropped: number; failed: number; encodedBytes: number } {
    return { queued: 0, writtenCompleted: this.completed, dropped: 0, failed: 0, encodedBytes: this.encodedBytes };
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
