import { setImmediate as nextTurn } from 'node:timers/promises';
import { Attributes, ROOT_CONTEXT, Span, SpanKind, trace, Tracer } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { RedisTaskExporter } from '@otel-top/redis-exporter';
import { HttpTaskSpanProcessor } from '@otel-top/span-processor';
import { reportStartFailure, serveRequests } from './child-endpoint';
import { EncodeOnlyExporter } from './encode-only-exporter';
import { NoopSpanProcessor } from './noop-span-processor';

/** How scenario 3 asks for one run. */
export interface ThroughputRun {
  /** `none`: the SDK alone with a no-op processor, the cost of making the spans. */
  exporter: 'redis' | 'encode-only' | 'none';
  /** Redis only: publish every update on task_updates, as for a third-party subscriber, so every task is encoded and sent. */
  publishAll?: boolean;
  /** Redis only: a list that keeps every task and no list budget, so every completed task is written. */
  writeAll?: boolean;
  /** Lifecycles per second; as fast as possible when absent. */
  rate?: number;
  lifecycles: number;
  /** Spans kept open at once; 0 ends each span right after starting it. */
  inFlight: number;
  maxSeconds: number;
}

/**
 * How scenario 3 asks for the cost of following spans inside requests:
 * `pairs` pairs of chunks of `chunk` requests with `children` spans inside
 * each, one chunk made with the spans seen by tracking, the other with a
 * second provider whose processor does nothing (the same SDK work, never seen
 * by tracking), in turn order ABBA.
 */
export interface ChildPairsRun {
  pairs: number;
  chunk: number;
  children: number;
  maxSeconds: number;
}

/** The process CPU per request of each chunk, pair by pair; all the work of the pairs is in one chunk or the other. */
export interface ChildPairsResult {
  seenMicrosPerRequest: number[];
  unseenMicrosPerRequest: number[];
}

export interface ThroughputResult {
  lifecycles: number;
  seconds: number;
  lifecyclesPerSecond: number;
  cpuMicrosPerLifecycle: number;
  written: number;
  /** Completed tasks older than past_tasks keeps, which the exporter skips rather than encode and trim at once. */
  trimmed: number;
  dropped: number;
  failed: number;
  /** Batches that carried the live counters, and all round trips to Redis. */
  counterWrites: number;
}

/** Lifecycles produced per turn of the event loop; the exporter's queue holds 20,000 events. */
const CHUNK = 1_000;
const HIGH_WATER = 10_000;

/** What instrumentation-http 0.223 (old semantic conventions) and instrumentation-express put on a server span. */
const START_ATTRIBUTES: Attributes = {
  'http.url': 'http://127.0.0.1:3000/api/items/42?page=2&token=not-a-real-secret',
  'http.host': '127.0.0.1:3000',
  'net.host.name': '127.0.0.1',
  'http.method': 'GET',
  'http.scheme': 'http',
  'http.target': '/api/items/42?page=2&token=not-a-real-secret',
  'http.user_agent': 'Mozilla/5.0 (X11; Linux x86_64) otel-top-bench/1.0',
  'http.flavor': '1.1',
  'net.transport': 'ip_tcp',
  'http.request.header.x_forwarded_for': ['203.0.113.7, 10.0.0.1'],
  'http.request.header.cf_ipcountry': ['FI'],
};
const END_ATTRIBUTES: Attributes = {
  'net.host.ip': '127.0.0.1',
  'net.host.port': 3000,
  'net.peer.ip': '127.0.0.1',
  'net.peer.port': 51234,
  'http.status_code': 200,
  'http.status_text': 'OK',
  'http.route': '/api/items/:id',
  'http.response.header.content_length': ['41'],
  'http.response.header.content_type': ['application/json; charset=utf-8'],
};

interface Setup {
  tracer: Tracer;
  /** The same SDK set-up with a no-op processor: spans it makes are never seen by tracking. */
  unseenTracer: Tracer;
  stats: () => Record<string, number>;
  flush: () => Promise<void>;
  onEnd: () => void;
}

function setUp(kind: ThroughputRun['exporter'], publishAll = false, writeAll = false): Setup {
  const everything = { maxCompletedTasks: 100_000_000, completedListRefreshMillis: 0, maxQueueSize: 1_000_000, maxQueueBytes: 2 ** 31 };
  const exporter =
    kind === 'redis'
      ? new RedisTaskExporter({ url: process.env.BENCH_REDIS_URL, publishUpdates: publishAll ? true : 'auto', ...(writeAll ? everything : {}) })
      : new EncodeOnlyExporter();
  const resource = resourceFromAttributes({ 'service.name': 'otel-top-bench', 'deployment.environment.name': 'bench' });
  const provider = new BasicTracerProvider({
    resource,
    spanProcessors: [kind === 'none' ? new NoopSpanProcessor() : new HttpTaskSpanProcessor({ exporter })],
  });
  const unseen = new BasicTracerProvider({ resource, spanProcessors: [new NoopSpanProcessor()] });
  let ended = 0;
  return {
    tracer: provider.getTracer('otel-top-bench'),
    unseenTracer: unseen.getTracer('otel-top-bench'),
    // Without a processor nothing is written: every ended span counts as done.
    stats: () =>
      kind === 'none'
        ? { queued: 0, writtenCompleted: ended, trimmed: 0, dropped: 0, failed: 0, counterWrites: 0 }
        : { trimmed: 0, counterWrites: 0, ...exporter.getStats() },
    flush: () => exporter.forceFlush(),
    onEnd: () => {
      ended++;
    },
  };
}

const setups = new Map<string, Setup>();

/** The set-up of that kind, made at its first use and kept for the runs after. */
function setupFor(kind: ThroughputRun['exporter'], publishAll = false, writeAll = false): Setup {
  const key = `${kind}${publishAll ? ', publish all' : ''}${writeAll ? ', write all' : ''}`;
  let setup = setups.get(key);
  if (setup === undefined) {
    setup = setUp(kind, publishAll, writeAll);
    setups.set(key, setup);
  }
  return setup;
}

const CHILD_ATTRIBUTES: Attributes = { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.collection.name': 'items' };

/** `count` spans, each inside the one before, inside `parent`; all ended before the request is. */
function makeChildren(tracer: Tracer, parent: Span, count: number): void {
  const opened: Span[] = [];
  let context = trace.setSpan(ROOT_CONTEXT, parent);
  for (let i = 0; i < count; i++) {
    const child = tracer.startSpan('SELECT items', { kind: SpanKind.CLIENT, attributes: CHILD_ATTRIBUTES }, context);
    opened.push(child);
    context = trace.setSpan(context, child);
  }
  for (let i = opened.length - 1; i >= 0; i--) opened[i].end();
}

function endSpan(span: Span, setup: Setup): void {
  span.setAttributes(END_ATTRIBUTES);
  span.end();
  setup.onEnd();
}

async function run(options: ThroughputRun): Promise<ThroughputResult> {
  const setup = setupFor(options.exporter, options.publishAll, options.writeAll);
  const { tracer, stats } = setup;
  const before = stats();
  const deadline = Date.now() + options.maxSeconds * 1000;
  // A ring of open spans: the oldest ends when a new one starts.
  const open: Array<Span | undefined> = new Array(options.inFlight);
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  let count = 0;
  const startedAt = Date.now();
  const rate = options.rate;
  while (count < options.lifecycles && Date.now() < deadline) {
    // At a given rate, the chunk is what is due by now; as fast as possible, a fixed chunk.
    const due = rate === undefined ? count + CHUNK : Math.floor(((Date.now() - startedAt) * rate) / 1000) + 1;
    const chunkEnd = Math.min(options.lifecycles, Math.max(count, Math.min(due, count + CHUNK)));
    if (rate !== undefined && chunkEnd === count) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.ceil(1000 / rate))));
      continue;
    }
    for (; count < chunkEnd; count++) {
      const span = tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: START_ATTRIBUTES }, ROOT_CONTEXT);
      if (options.inFlight === 0) {
        endSpan(span, setup);
      } else {
        const slot = count % options.inFlight;
        const oldest = open[slot];
        if (oldest !== undefined) endSpan(oldest, setup);
        open[slot] = span;
      }
    }
    // Back-pressure: while the queue is half full the exporter is behind; let it write instead of dropping.
    for (let spins = 0; stats().queued > HIGH_WATER && spins < 1_000_000 && Date.now() < deadline; spins++) await nextTurn();
    await nextTurn();
  }
  for (const span of open) if (span !== undefined) endSpan(span, setup);
  // Done when everything is written: the exporter's flush waits for Redis's answers.
  await setup.flush();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const after = stats();
  return {
    lifecycles: count,
    seconds,
    lifecyclesPerSecond: count / seconds,
    cpuMicrosPerLifecycle: (cpu.user + cpu.system) / Math.max(count, 1),
    written: after.writtenCompleted - before.writtenCompleted,
    trimmed: after.trimmed - before.trimmed,
    dropped: after.dropped - before.dropped,
    failed: after.failed - before.failed,
    counterWrites: after.counterWrites - before.counterWrites,
  };
}

/**
 * Chunks of a few milliseconds, seen and unseen in turn, in one run: the
 * drift of a shared host over the seconds between separate runs would be
 * most of the difference otherwise. Each chunk's CPU includes the turn of the
 * event loop after it, where the exporter's timers run, so all the work of
 * the run is counted, in one chunk or the other.
 */
async function childPairs(options: ChildPairsRun): Promise<ChildPairsResult> {
  const setup = setupFor('redis');
  const deadline = Date.now() + options.maxSeconds * 1000;
  const chunk = async (childTracer: Tracer): Promise<number> => {
    const before = process.cpuUsage();
    for (let i = 0; i < options.chunk; i++) {
      const span = setup.tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: START_ATTRIBUTES }, ROOT_CONTEXT);
      makeChildren(childTracer, span, options.children);
      endSpan(span, setup);
    }
    await nextTurn();
    const cpu = process.cpuUsage(before);
    return (cpu.user + cpu.system) / options.chunk;
  };
  const result: ChildPairsResult = { seenMicrosPerRequest: [], unseenMicrosPerRequest: [] };
  for (let pair = 0; pair < options.pairs && Date.now() < deadline; pair++) {
    if (pair % 2 === 0) {
      result.seenMicrosPerRequest.push(await chunk(setup.tracer));
      result.unseenMicrosPerRequest.push(await chunk(setup.unseenTracer));
    } else {
      result.unseenMicrosPerRequest.push(await chunk(setup.unseenTracer));
      result.seenMicrosPerRequest.push(await chunk(setup.tracer));
    }
  }
  await setup.flush();
  return result;
}

try {
  serveRequests({ pid: process.pid }, { run: (options: ThroughputRun) => run(options), childPairs: (options: ChildPairsRun) => childPairs(options) });
} catch (error) {
  reportStartFailure(error);
}
