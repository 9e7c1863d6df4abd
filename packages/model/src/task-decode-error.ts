/**
 * Thrown when a task record does not match the wire format. Names the field
 * so that a bad writer can be found, instead of showing a silently wrong value.
 */
export class TaskDecodeError extends Error {
  /** Wire name of the offending field, or undefined when the record as a whole is bad. */
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super(field === undefined ? message : `${field}: ${message}`);
    this.name = 'TaskDecodeError';
    this.field = field;
  }
}
