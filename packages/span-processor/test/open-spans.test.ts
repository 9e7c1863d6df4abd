import { expect } from 'chai';
import { Attributes, Context, diag, DiagLogLevel, ROOT_CONTEXT, Span, SpanKind, trace, Tracer } from '@opentelemetry/api';
import { RPCType, setRPCMetadata } from '@opentelemetry/core';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { HTTPTask, OpenSpan, TaskExporter, TrackedTask } from '@otel-top/model';
import { HttpTaskSpanProcessor, HttpTaskSpanProcessorConfig, REDACTED } from '../src';
import { maskQueryText } from '../src/open-span-mapper';
import { CollectingExporter } from './collecting-exporter';

const request: Attributes = {
  'http.request.method': 'GET',
  'url.scheme': 'http',
  'url.path': '/orders/42',
  'server.address': 'shop.example',
};

interface Setup {
  exporter: CollectingExporter;
  processor: HttpTaskSpanProcessor;
  tracer: Tracer;
}

function setup(options: Partial<HttpTaskSpanProcessorConfig> = {}): Setup {
  const exporter = new CollectingExporter();
  const processor = new HttpTaskSpanProcessor({ exporter, ...options });
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  return { exporter, processor, tracer: provider.getTracer('test') };
}

/** A request's server span and the context its handlers run in. */
function startRequest(tracer: Tracer, attributes: Attributes = request): { span: Span; context: Context } {
  const span = tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes }, ROOT_CONTEXT);
  return { span, context: trace.setSpan(ROOT_CONTEXT, span) };
}

function startInside(
  tracer: Tracer,
  parent: Context | Span,
  name: string,
  kind: SpanKind = SpanKind.CLIENT,
  attributes: Attributes = {},
): { span: Span; context: Context } {
  const parentContext = 'spanContext' in parent ? trace.setSpan(ROOT_CONTEXT, parent) : parent;
  const span = tracer.startSpan(name, { kind, attributes }, parentContext);
  return { span, context: trace.setSpan(parentContext, span) };
}

function names(task: HTTPTask): Array<string | null> | undefined {
  return task.openSpans?.map((span) => span.name);
}

function only(task: HTTPTask): OpenSpan {
  expect(task.openSpans).to.have.length(1);
  return (task.openSpans as OpenSpan[])[0];
}

describe('HttpTaskSpanProcessor: open spans inside a request', () => {
  describe('what is followed', () => {
    it('shows a span started inside the request while it is open, and nothing after it ends', () => {
      const { exporter, processor, tracer } = setup();
      const { span: server, context } = startRequest(tracer);
      const task = exporter.started[0];
      expect((task.snapshot() as HTTPTask).openSpans).to.deep.equal([]);

      const { span: call } = startInside(tracer, context, 'GET', SpanKind.CLIENT, {
        'http.request.method': 'GET',
        'server.address': 'payments.internal',
        'url.full': 'https://payments.internal/charge',
      });
      const open = only(task.snapshot() as HTTPTask);
      expect(open).to.deep.include({
        spanId: call.spanContext().spanId,
        parentSpanId: server.spanContext().spanId,
        name: 'GET',
        kind: 'CLIENT',
        attributes: { 'http.request.method': 'GET', 'server.address': 'payments.internal', 'url.path': '/charge' },
      });
      expect(open.startedAt).to.be.instanceOf(Date);
      expect(processor.openSpanCounts.open).to.equal(1);

      call.end();
      expect((task.snapshot() as HTTPTask).openSpans).to.deep.equal([]);
      expect(processor.openSpanCounts.open).to.equal(0);
      server.end();
      expect(exporter.lastEnded().openSpans).to.equal(null);
    });

    it('lists nested spans outermost first: each before the spans inside it, siblings in start order', () => {
      const { exporter, tracer } = setup();
      const { span: server, context } = startRequest(tracer);
      const work = startInside(tracer, context, 'build invoice', SpanKind.INTERNAL);
      const other = startInside(tracer, context, 'publish', SpanKind.PRODUCER, { 'messaging.system': 'kafka', 'messaging.destination.name': 'invoices' });
      const query = startInside(tracer, work.context, 'SELECT orders', SpanKind.CLIENT, { 'db.system.name': 'postgresql' });
      const inner = startInside(tracer, query.context, 'pool acquire', SpanKind.INTERNAL);
      const task = exporter.lastStarted();
      expect(names(task)).to.deep.equal(['build invoice', 'SELECT orders', 'pool acquire', 'publish']);
      expect(task.openSpans?.map((span) => span.kind)).to.deep.equal(['INTERNAL', 'CLIENT', 'INTERNAL', 'PRODUCER']);
      const parents = task.openSpans?.map((span) => span.parentSpanId);
      expect(parents).to.deep.equal([
        server.spanContext().spanId,
        work.span.spanContext().spanId,
        query.span.spanContext().spanId,
        server.spanContext().spanId,
      ]);
      expect(task.openSpans?.[3].attributes).to.deep.equal({ 'messaging.destination.name': 'invoices', 'messaging.system': 'kafka' });

      // The outer span ends first (a fire-and-forget inside it): what it started is still shown, now outermost,
      // after the sibling that started before it.
      work.span.end();
      expect(names(exporter.lastStarted())).to.deep.equal(['publish', 'SELECT orders', 'pool acquire']);
      for (const span of [inner.span, query.span, other.span, server]) span.end();
    });

    it('never shows one request the spans of another running at the same time', () => {
      const { exporter, tracer } = setup();
      const first = startRequest(tracer);
      const second = startRequest(tracer);
      const firstCall = startInside(tracer, first.context, 'GET warehouse');
      startInside(tracer, second.context, 'blpop', SpanKind.CLIENT, { 'db.system.name': 'redis' });
      startInside(tracer, firstCall.context, 'dns lookup', SpanKind.INTERNAL);
      const [firstTask, secondTask] = exporter.started.map((task) => task.snapshot() as HTTPTask);
      expect(names(firstTask)).to.deep.equal(['GET warehouse', 'dns lookup']);
      expect(names(secondTask)).to.deep.equal(['blpop']);
      first.span.end();
      expect(names(exporter.started[1].snapshot() as HTTPTask)).to.deep.equal(['blpop']);
    });

    it('follows nothing outside tracked requests: other traces, non-HTTP servers, and spans without a parent', () => {
      const { exporter, processor, tracer } = setup();
      const job = tracer.startSpan('nightly job', { kind: SpanKind.INTERNAL }, ROOT_CONTEXT);
      startInside(tracer, job, 'SELECT');
      const rpc = tracer.startSpan('grpc', { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'grpc' } }, ROOT_CONTEXT);
      startInside(tracer, rpc, 'SELECT');
      tracer.startSpan('lonely', { kind: SpanKind.CLIENT }, ROOT_CONTEXT).end();
      expect(exporter.started).to.have.length(0);
      expect(exporter.updates.size).to.equal(0);
      expect(processor.openSpanCounts).to.deep.equal({ open: 0, overRequestCap: 0, overTotalCap: 0 });
    });

    it('follows a framework\'s own SERVER span nested in the request as a span inside it', () => {
      const { exporter, tracer } = setup();
      const { span: server, context } = startRequest(tracer);
      startInside(tracer, context, 'fastify request', SpanKind.SERVER, { 'http.request.method': 'GET', 'url.path': '/orders/42' });
      expect(exporter.started).to.have.length(1);
      expect(only(exporter.lastStarted())).to.deep.include({ kind: 'SERVER', name: 'fastify request' });
      expect(only(exporter.lastStarted()).attributes).to.deep.equal({ 'http.request.method': 'GET', 'url.path': '/orders/42' });
      server.end();
      expect(exporter.ended).to.have.length(1);
    });
  });

  it('keeps two processors of one provider apart: each tracks the request and follows its spans', () => {
    const first = new CollectingExporter();
    const second = new CollectingExporter();
    const processors = [new HttpTaskSpanProcessor({ exporter: first }), new HttpTaskSpanProcessor({ exporter: second })];
    const tracer = new BasicTracerProvider({ spanProcessors: processors }).getTracer('test');
    const { span: server, context } = startRequest(tracer);
    const call = startInside(tracer, context, 'SELECT orders');
    const inner = startInside(tracer, call.context, 'socket write');
    for (const exporter of [first, second]) expect(names(exporter.lastStarted())).to.deep.equal(['SELECT orders', 'socket write']);

    inner.span.end();
    for (const exporter of [first, second]) expect(names(exporter.lastStarted())).to.deep.equal(['SELECT orders']);
    call.span.end();
    server.end();
    for (const exporter of [first, second]) {
      expect(exporter.ended).to.have.length(1);
      expect(exporter.lastEnded().openSpans).to.equal(null);
    }
    for (const processor of processors) {
      expect(processor.openSpanCounts.open).to.equal(0);
      expect(processor.errorCount).to.equal(0);
    }
  });

  describe('spans that outlive their request', () => {
    it('forgets every span still open when the request ends; their later end finds nothing', () => {
      const { exporter, processor, tracer } = setup();
      const { span: server, context } = startRequest(tracer);
      const late = startInside(tracer, context, 'audit log write');
      const inner = startInside(tracer, late.context, 'socket write');
      const task = exporter.started[0];
      expect(processor.openSpanCounts.open).to.equal(2);
      const updatesBefore = exporter.updates.get(task);

      server.end();
      expect(processor.openSpanCounts.open).to.equal(0);
      expect(exporter.lastEnded().openSpans).to.equal(null);
      // Started after the request ended, inside what it left running: not followed either.
      startInside(tracer, late.context, 'retry');
      inner.span.end();
      late.span.end();
      expect(exporter.updates.get(task)).to.equal(updatesBefore);
      expect(processor.openSpanCounts).to.deep.equal({ open: 0, overRequestCap: 0, overTotalCap: 0 });
      expect(processor.errorCount).to.equal(0);
    });

    it('forgets the spans inside a request that is forgotten for the bound on requests in flight', function () {
      // 100,000 spans: slow on a shared machine, and not a measure of speed.
      this.timeout(20_000);
      // The bound on requests is 100,000; a span inside the oldest must leave with it, not stay behind.
      const { exporter, processor, tracer } = setup();
      const oldest = startRequest(tracer);
      startInside(tracer, oldest.context, 'never ends');
      for (let i = 0; i < 100_000; i++) tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: request }, ROOT_CONTEXT);
      expect(exporter.started).to.have.length(100_001);
      expect(processor.openSpanCounts.open).to.equal(0);
      oldest.span.end();
      expect(exporter.ended).to.have.length(0);
    });
  });

  describe('caps', () => {
    it('follows at most maxOpenSpansPerRequest spans per request and counts the rest', () => {
      const { exporter, processor, tracer } = setup({ maxOpenSpansPerRequest: 3 });
      const { span: server, context } = startRequest(tracer);
      const spans = Array.from({ length: 5 }, (_, i) => startInside(tracer, context, `call ${i}`).span);
      expect(names(exporter.lastStarted())).to.deep.equal(['call 0', 'call 1', 'call 2']);
      expect(processor.openSpanCounts).to.deep.equal({ open: 3, overRequestCap: 2, overTotalCap: 0 });
      // Room again once one ends.
      spans[0].end();
      startInside(tracer, context, 'call 5');
      expect(names(exporter.lastStarted())).to.deep.equal(['call 1', 'call 2', 'call 5']);
      server.end();
      expect(processor.openSpanCounts).to.deep.equal({ open: 0, overRequestCap: 2, overTotalCap: 0 });
    });

    it('follows at most maxOpenSpans spans across all requests and counts the rest', () => {
      const { exporter, processor, tracer } = setup({ maxOpenSpans: 4 });
      const requests = Array.from({ length: 3 }, () => startRequest(tracer));
      for (const { context } of requests) for (let i = 0; i < 2; i++) startInside(tracer, context, `call ${i}`);
      expect(exporter.started.map((task) => names(task.snapshot() as HTTPTask)?.length)).to.deep.equal([2, 2, 0]);
      expect(processor.openSpanCounts).to.deep.equal({ open: 4, overRequestCap: 0, overTotalCap: 2 });
      requests[0].span.end();
      startInside(tracer, requests[2].context, 'after room');
      expect(names(exporter.started[2].snapshot() as HTTPTask)).to.deep.equal(['after room']);
      expect(processor.openSpanCounts.open).to.equal(3);
    });

    it('follows none with maxOpenSpansPerRequest 0, and rejects caps that are not counts', () => {
      const { exporter, processor, tracer } = setup({ maxOpenSpansPerRequest: 0 });
      const { context } = startRequest(tracer);
      startInside(tracer, context, 'call');
      expect(exporter.lastStarted().openSpans).to.deep.equal([]);
      expect(processor.openSpanCounts).to.deep.equal({ open: 0, overRequestCap: 1, overTotalCap: 0 });
      const exporterOnly = { exporter: new CollectingExporter() };
      expect(() => new HttpTaskSpanProcessor({ ...exporterOnly, maxOpenSpans: 0 })).to.throw(TypeError, 'maxOpenSpans');
      expect(() => new HttpTaskSpanProcessor({ ...exporterOnly, maxOpenSpansPerRequest: 1.5 })).to.throw(TypeError, 'maxOpenSpansPerRequest');
    });
  });

  describe('telling the exporter', () => {
    it('calls taskUpdated when the open spans or the route change, for that task only', () => {
      const { exporter, tracer } = setup({ maxOpenSpansPerRequest: 2 });
      const { context } = startRequest(tracer);
      const other = startRequest(tracer);
      const [task, otherTask] = exporter.started;
      const a = startInside(tracer, context, 'a');
      expect(exporter.updates.get(task)).to.equal(1);
      startInside(tracer, a.context, 'handler', SpanKind.INTERNAL, { 'http.route': '/orders/:id' });
      expect(exporter.updates.get(task)).to.equal(2);
      // Over the cap and no new route: nothing changed.
      startInside(tracer, context, 'c', SpanKind.INTERNAL, { 'http.route': '/orders/:id' });
      expect(exporter.updates.get(task)).to.equal(2);
      // Over the cap but a new route: changed.
      startInside(tracer, context, 'd', SpanKind.INTERNAL, { 'http.route': '/orders/:id/lines' });
      expect(exporter.updates.get(task)).to.equal(3);
      a.span.end();
      expect(exporter.updates.get(task)).to.equal(4);
      expect(exporter.updates.has(otherTask)).to.equal(false);
      other.span.end();
    });

    it('works with an exporter without taskUpdated, and keeps an exporter\'s failure away from the app', () => {
      const logged: string[] = [];
      diag.setLogger(
        { error: (message) => logged.push(message), warn: () => undefined, info: () => undefined, debug: () => undefined, verbose: () => undefined },
        DiagLogLevel.ERROR,
      );
      try {
        const plain: TaskExporter = {
          taskStarted: () => undefined,
          taskEnded: () => undefined,
          forceFlush: async () => undefined,
          shutdown: async () => undefined,
        };
        const quiet = new HttpTaskSpanProcessor({ exporter: plain });
        const quietTracer = new BasicTracerProvider({ spanProcessors: [quiet] }).getTracer('test');
        const quietRequest = startRequest(quietTracer);
        startInside(quietTracer, quietRequest.context, 'call').span.end();
        quietRequest.span.end();
        expect(quiet.errorCount).to.equal(0);

        const broken = new HttpTaskSpanProcessor({
          exporter: {
            ...plain,
            taskUpdated: (_task: TrackedTask) => {
              throw new Error('broken update');
            },
          },
        });
        const tracer = new BasicTracerProvider({ spanProcessors: [broken] }).getTracer('test');
        const { span: server, context } = startRequest(tracer);
        let call: Span | undefined;
        expect(() => (call = startInside(tracer, context, 'call').span)).not.to.throw();
        expect(() => call?.end()).not.to.throw();
        server.end();
        expect(broken.errorCount).to.equal(2);
        expect(broken.openSpanCounts.open).to.equal(0);
        expect(logged.filter((message) => message.includes('otel-top'))).to.have.length(1);
      } finally {
        diag.disable();
      }
    });
  });

  describe('the route while the request runs', () => {
    it('names an active request by the route a span inside it carries', () => {
      const { exporter, tracer } = setup();
      const { span: server, context } = startRequest(tracer);
      expect(exporter.lastStarted().taskName).to.equal('GET /orders/42');
      const router = startInside(tracer, context, 'router - /orders', SpanKind.INTERNAL, { 'http.route': '/orders' });
      router.span.end();
      expect(exporter.lastStarted().taskName).to.equal('GET /orders');
      startInside(tracer, context, 'request handler - /orders/:id', SpanKind.INTERNAL, { 'http.route': '/orders/:id' });
      expect(exporter.lastStarted().taskName).to.equal('GET /orders/:id');
      server.end();
      // Without a route of its own at the end, the completed task keeps the one matched.
      expect(exporter.lastEnded().taskName).to.equal('GET /orders/:id');
    });

    it('reads the route frameworks set on instrumentation-http\'s metadata, as it is at write time', () => {
      const { exporter, tracer } = setup();
      const { span: server, context } = startRequest(tracer);
      const metadata = { type: RPCType.HTTP as const, span: server, route: undefined as string | undefined };
      const handlerContext = setRPCMetadata(context, metadata);
      startInside(tracer, handlerContext, 'middleware - logger', SpanKind.INTERNAL).span.end();
      expect(exporter.lastStarted().taskName).to.equal('GET /orders/42');
      metadata.route = '/orders/:id';
      expect(exporter.lastStarted().taskName).to.equal('GET /orders/:id');
      // The span's own route, set at its end, wins.
      server.setAttribute('http.route', '/orders/:orderId');
      server.end();
      expect(exporter.lastEnded().taskName).to.equal('GET /orders/:orderId');
    });

    it('ignores metadata that belongs to another request', () => {
      const { exporter, tracer } = setup();
      const first = startRequest(tracer);
      const second = startRequest(tracer);
      const foreign = setRPCMetadata(first.context, { type: RPCType.HTTP, span: second.span, route: '/elsewhere' });
      startInside(tracer, foreign, 'handler', SpanKind.INTERNAL);
      expect((exporter.started[0].snapshot() as HTTPTask).taskName).to.equal('GET /orders/42');
    });
  });

  describe('summary attributes', () => {
    function summaryOf(attributes: Attributes, options: Partial<HttpTaskSpanProcessorConfig> = {}): OpenSpan['attributes'] {
      const { exporter, tracer } = setup(options);
      const { context } = startRequest(tracer);
      startInside(tracer, context, 'span', SpanKind.CLIENT, attributes);
      return only(exporter.lastStarted()).attributes;
    }

    it('takes a database span of the stable conventions', () => {
      expect(
        summaryOf({
          'db.system.name': 'postgresql',
          'db.operation.name': 'SELECT',
          'db.collection.name': 'orders',
          'db.query.text': "SELECT * FROM orders WHERE id = 42 AND note = 'it''s secret' AND t1.x = $1",
          'server.address': 'db.internal',
          'server.port': 5432,
          'db.namespace': 'shop',
        }),
      ).to.deep.equal({
        'db.system.name': 'postgresql',
        'db.operation.name': 'SELECT',
        'db.collection.name': 'orders',
        'db.query.text': 'SELECT * FROM orders WHERE id = ? AND note = ? AND t1.x = $1',
        'server.address': 'db.internal',
      });
    });

    it('takes the old database names into the stable ones', () => {
      expect(
        summaryOf({ 'db.system': 'mysql', 'db.operation': 'UPDATE', 'db.sql.table': 'carts', 'db.statement': 'UPDATE carts SET n = 3', 'net.peer.name': 'mysql.internal' }),
      ).to.deep.equal({
        'db.system.name': 'mysql',
        'db.operation.name': 'UPDATE',
        'db.collection.name': 'carts',
        'db.query.text': 'UPDATE carts SET n = ?',
        'server.address': 'mysql.internal',
      });
      expect(summaryOf({ 'db.system': 'mongodb', 'db.mongodb.collection': 'users', 'db.operation': 'find' })).to.deep.equal({
        'db.system.name': 'mongodb',
        'db.operation.name': 'find',
        'db.collection.name': 'users',
      });
      // Old redis instrumentations: the command is the statement's first word.
      expect(summaryOf({ 'db.system': 'redis', 'db.statement': 'blpop cart:7 5' })).to.deep.equal({
        'db.system.name': 'redis',
        'db.operation.name': 'blpop',
        'db.query.text': 'blpop cart:? ?',
      });
    });

    it('takes an outbound HTTP call of either generation, with its query redacted as a request\'s', () => {
      expect(
        summaryOf({
          'http.request.method': 'POST',
          'server.address': 'payments.internal',
          'url.full': 'https://user:s3cr3t@payments.internal:8443/charge?token=s3cr3t-token&order=42',
        }),
      ).to.deep.equal({
        'http.request.method': 'POST',
        'server.address': 'payments.internal',
        'url.path': '/charge',
        'url.query': `token=${REDACTED}&order=42`,
      });
      expect(summaryOf({ 'http.method': 'GET', 'http.url': 'http://stock.internal/items?api_key=k3y' })).to.deep.equal({
        'http.request.method': 'GET',
        'server.address': 'stock.internal',
        'url.path': '/items',
        'url.query': `api_key=${REDACTED}`,
      });
      expect(summaryOf({ 'http.method': 'GET', 'net.peer.name': 'legacy.internal', 'http.target': '/v1/stock?sig=abc&id=9' })).to.deep.equal({
        'http.request.method': 'GET',
        'server.address': 'legacy.internal',
        'url.path': '/v1/stock',
        'url.query': `sig=${REDACTED}&id=9`,
      });
      expect(summaryOf({ 'http.request.method': '_OTHER', 'http.request.method_original': 'PURGE', 'url.full': 'http://cache/x' })).to.deep.equal({
        'http.request.method': 'PURGE',
        'server.address': 'cache',
        'url.path': '/x',
      });
    });

    it('takes RPC service and method and messaging destination and system, old and new names', () => {
      expect(summaryOf({ 'rpc.system': 'grpc', 'rpc.service': 'shop.Payments', 'rpc.method': 'Charge', 'server.address': 'pay' })).to.deep.equal({
        'server.address': 'pay',
        'rpc.service': 'shop.Payments',
        'rpc.method': 'Charge',
      });
      expect(summaryOf({ 'messaging.system': 'rabbitmq', 'messaging.destination': 'emails' })).to.deep.equal({
        'messaging.destination.name': 'emails',
        'messaging.system': 'rabbitmq',
      });
    });

    it('keeps secrets out with redaction on, and writes values as they are with it off', () => {
      const attributes = {
        'db.system.name': 'postgresql',
        'db.query.text': "UPDATE users SET password = 'hunter2', pin = 1234",
        'http.request.method': 'GET',
        'url.full': 'http://u:p4ss@api.internal/x?password=hunter2',
      };
      const redacted = JSON.stringify(summaryOf(attributes));
      expect(redacted).not.to.match(/hunter2|1234|p4ss/);
      const plain = summaryOf(attributes, { redact: false });
      expect(plain?.['db.query.text']).to.equal("UPDATE users SET password = 'hunter2', pin = 1234");
      expect(plain?.['url.query']).to.equal('password=hunter2');
      expect(JSON.stringify(plain)).not.to.include('p4ss'); // user info never
    });

    it('cuts names and values to 256 characters and leaves out what is absent or not a string', () => {
      const { exporter, tracer } = setup();
      const { context } = startRequest(tracer);
      startInside(tracer, context, 'n'.repeat(1000), SpanKind.CLIENT, {
        'db.system.name': 'x'.repeat(1000),
        'db.query.text': `SELECT ${'c, '.repeat(1000)}`,
        'db.operation.name': 7,
        'server.address': '',
      });
      const open = only(exporter.lastStarted());
      expect(open.name).to.have.length(256);
      expect(open.attributes?.['db.system.name']).to.have.length(256);
      expect(open.attributes?.['db.query.text']).to.have.length(256);
      expect(Object.keys(open.attributes ?? {})).to.deep.equal(['db.system.name', 'db.query.text']);
    });
  });
});

describe('maskQueryText', () => {
  const cases: Array<[string, string]> = [
    ["SELECT * FROM t WHERE a = 'x' AND b = 12.5 AND c = -3", 'SELECT * FROM t WHERE a = ? AND b = ? AND c = -?'],
    ["INSERT INTO t VALUES ('O''Brien', 'a\\'b', 0x1F, 1e10)", 'INSERT INTO t VALUES (?, ?, ?, ?)'],
    ['SELECT "User"."id" FROM "User" WHERE "id" = $1 LIMIT 10', 'SELECT "User"."id" FROM "User" WHERE "id" = $1 LIMIT ?'],
    ['SELECT col1, t2.col FROM t2', 'SELECT col1, t2.col FROM t2'],
    ["SELECT 'never closed secret", 'SELECT ?'],
    ['get user:42', 'get user:?'],
  ];
  for (const [query, masked] of cases) {
    it(`masks ${query}`, () => {
      expect(maskQueryText(query)).to.equal(masked);
    });
  }

  it('masks before it cuts, so a literal cut in two never shows its start', () => {
    const query = `SELECT * FROM t WHERE note = '${'s3cr3t '.repeat(100)}'`;
    const masked = maskQueryText(query, 40);
    expect(masked).to.equal('SELECT * FROM t WHERE note = ?');
    // A literal open where the input is cut for masking.
    const long = `${'x '.repeat(500)}'${'secret '.repeat(100)}'`;
    expect(maskQueryText(long, 2000)).not.to.include('secret');
  });
});
