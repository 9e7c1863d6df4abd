import type { TaskUpdate } from '@otel-top/model';

/** Most bytes of messages held for one batch; over it the oldest go first, as they would be left undecoded. */
const MAX_HELD_BYTES = 16 * 1024 * 1024;

/**
 * The update messages that arrived since the last batch, held as they came
 * (undecoded), and taken as one update built newest first. Decoding is most
 * of what following a busy fleet costs a viewer, and a batch can use no more
 * completed tasks than `past_tasks` keeps: so once the newest messages bring
 * that many, the older ones are dropped undecoded.
 */
export class UpdateBatch {
  private held: Buffer[] = [];
  private heldBytes = 0;

  constructor(private readonly maxCompleted: number) {}

  add(message: Buffer): void {
    this.held.push(message);
    this.heldBytes += message.length;
    while (this.heldBytes > MAX_HELD_BYTES && this.held.length > 1) this.heldBytes -= this.held.shift()?.length ?? 0;
  }

  /**
   * One update of the held messages, oldest first within it as each message
   * is; undefined when none decoded. `decode` gives a message's update, or
   * undefined for one that does not decode.
   */
  take(decode: (message: string) => TaskUpdate | undefined): TaskUpdate | undefined {
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    const newestFirst: TaskUpdate[] = [];
    let completed = 0;
    for (let index = held.length - 1; index >= 0 && completed < this.maxCompleted; index--) {
      const update = decode(held[index]?.toString() ?? '');
      if (update === undefined) continue;
      newestFirst.push(update);
      completed += update.completed.length;
    }
    if (newestFirst.length === 0) return undefined;
    const updates = newestFirst.reverse();
    const all = updates.flatMap((update) => update.completed);
    return {
      active: updates.flatMap((update) => update.active),
      completed: all.length > this.maxCompleted ? all.slice(all.length - this.maxCompleted) : all,
      removed: updates.flatMap((update) => update.removed),
    };
  }
}
