import { HTTPTask } from './http-task';
import { Task } from './task';

/** Request headers the readers' columns use; kept when a task must shrink. */
const COLUMN_HEADERS = new Set(['host', 'user-agent', 'x-forwarded-for', 'cf-ipcountry', 'content-length']);
const SHRUNK_STRING_LENGTH = 256;

function shorten(value: string | null): string | null {
  return value !== null && value.length > SHRUNK_STRING_LENGTH ? `${value.slice(0, SHRUNK_STRING_LENGTH - 1)}…` : value;
}

/**
 * The wire JSON of a task, at most `maxBytes` of UTF-8. A task over the cap
 * loses, step by step, what the readers' columns need least: the attributes
 * of its open spans, then the open spans, other headers and params, then
 * uri, tags and command line, then long strings are cut, then all headers.
 * A cap of 4 KiB or more always holds.
 */
export function encodeTask(task: Task, maxBytes: number): string {
  let json = JSON.stringify(task);
  // Every UTF-16 unit takes at most 3 bytes of UTF-8: most tasks need no exact count.
  if (json.length * 3 <= maxBytes || Buffer.byteLength(json) <= maxBytes) return json;

  const shrunk = task instanceof HTTPTask ? new HTTPTask(task) : new Task(task);
  const steps: Array<() => void> = [];
  if (shrunk instanceof HTTPTask) {
    if (shrunk.openSpans !== null) {
      steps.push(() => {
        shrunk.openSpans = shrunk.openSpans?.map((span) => ({ ...span, attributes: {} })) ?? null;
      });
      steps.push(() => {
        shrunk.openSpans = null;
      });
    }
    steps.push(() => {
      shrunk.params = null;
      shrunk.requestHeaders = shrunk.requestHeaders?.filter(([name]) => COLUMN_HEADERS.has(name.toLowerCase())) ?? null;
      shrunk.responseHeaders =
        shrunk.responseHeaders?.filter(([name]) => COLUMN_HEADERS.has(name.toLowerCase())) ?? null;
    });
    steps.push(() => {
      shrunk.uri = null;
    });
  }
  steps.push(() => {
    shrunk.tags = null;
    shrunk.commandLine = null;
  });
  steps.push(() => {
    shrunk.taskName = shorten(shrunk.taskName);
    shrunk.hostName = shorten(shrunk.hostName);
    shrunk.processorName = shorten(shrunk.processorName);
    shrunk.processInternalId = shorten(shrunk.processInternalId);
    if (typeof shrunk.taskId === 'string') shrunk.taskId = shorten(shrunk.taskId);
    if (shrunk instanceof HTTPTask) {
      shrunk.path = shorten(shrunk.path);
      shrunk.host = shorten(shrunk.host);
      shrunk.method = shorten(shrunk.method);
      shrunk.protocol = shorten(shrunk.protocol);
      shrunk.clientIpAddress = shorten(shrunk.clientIpAddress);
      shrunk.statusMessage = shorten(shrunk.statusMessage);
      shrunk.requestHeaders = shrunk.requestHeaders?.map(([name, value]) => [name, shorten(value) ?? '']) ?? null;
      shrunk.responseHeaders = shrunk.responseHeaders?.map(([name, value]) => [name, shorten(value) ?? '']) ?? null;
    }
  });
  steps.push(() => {
    if (shrunk instanceof HTTPTask) {
      shrunk.requestHeaders = null;
      shrunk.responseHeaders = null;
    }
  });
  for (const step of steps) {
    step();
    json = JSON.stringify(shrunk);
    if (Buffer.byteLength(json) <= maxBytes) return json;
  }
  return json;
}
