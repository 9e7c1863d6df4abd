import { expect } from 'chai';
import { Attributes, context, diag, DiagLogLevel, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { HTTPTask, TaskExporter, TrackedTask } from '@otel-top/model';
import { HttpTaskSpanProcessor, HttpTaskSpanProcessorConfig, REDACTED } from '../src';
import { CollectingExporter } from './collecting-exporter';

const stableRequest: Attributes = {
  'http.request.method': 'GET',
  'url.scheme': 'http',
  'url.path': '/api/candles',
  'url.query': 'pair_id=1&time_bucket=4h&tag=a&tag=b',
  'server.address': 'shop.example',
  'server.port': 8080,
  'network.peer.address': '10.0.0.9',
  'client.address': '203.0.113.7',
  'user_agent.original': 'curl/8.5.0',
  'http.request.header.x-forwarded-for': ['203.0.113.7, 10.0.0.1'],
  'http.request.header.cf-ipcountry': ['DE'],
  'http.request.header.accept': ['text/html', 'application/json'],
};

const oldRequest: Attributes = {
  'http.method': 'POST',
  'http.scheme': 'https',
  'http.target': '/login?next=%2Fhome&lang=fi',
  'http.host': 'shop.example',
  'http.url': 'https://shop.example/login?next=%2Fhome&lang=fi',
  'http.user_agent': 'Mozilla/5.0',
  'http.client_ip': '198.51.100.2',
  'http.request.header.x_forwarded_for': ['198.51.100.2'],
};

function setup(options: Partial<HttpTaskSpanProcessorConfig> = {}): {
  exporter: CollectingExporter;
  processor: HttpTaskSpanProcessor;
  provider: BasicTracerProvider;
} {
  const exporter = new CollectingExporter();
  const processor = new HttpTaskSpanProcessor({ exporter, ...options });
  const provider = new BasicTracerProvider({
    spanProcessors: [processor],
    resource: resourceFromAttributes({
      'service.name': 'shop',
      'service.version': '1.2.3',
      'deployment.environment.name': 'prod',
      'host.arch': 'amd64',
    }),
  });
  return { exporter, processor, provider };
}

function serveRequest(
  provider: BasicTracerProvider,
  attributes: Attributes,
  late: Attributes = {},
  parent = ROOT_CONTEXT,
): void {
  const span = provider.getTracer('test').startSpan('GET', { kind: SpanKind.SERVER, attributes }, parent);
  span.setAttributes(late);
  span.end();
}

describe('HttpTaskSpanProcessor', () => {
  describe('what the live counters read at a request\'s end', () => {
    it('says its name, status, duration and when it ended, from the span alone', () => {
      const { exporter, provider } = setup();
      const startTime = new Date(Date.now() - 3_000);
      const endTime = new Date(startTime.getTime() + 250);
      const span = provider.getTracer('test').startSpan('GET', { kind: SpanKind.SERVER, attributes: stableRequest, startTime }, ROOT_CONTEXT);
      span.setAttributes({ 'http.response.status_code': 404, 'http.route': '/api/:resource' });
      span.end(endTime);
      const outcome = exporter.ended[0].outcome();
      expect(outcome).to.include({ name: 'GET /api/:resource', statusCode: 404 });
      expect(outcome.durationMillis).to.be.closeTo(250, 0.001);
      expect(outcome.endedAtMillis).to.be.closeTo(endTime.getTime(), 0.001);
    });
  });

  describe('its list of requests in flight, which the exporter reads', () => {
    it('holds every request from its start to its end, in the order they started, with when each started', () => {
      const { exporter, provider } = setup();
      const tracer = provider.getTracer('test');
      const startTime = Date.now() - 5_000;
      const first = tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: stableRequest, startTime }, ROOT_CONTEXT);
      const second = tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: oldRequest }, ROOT_CONTEXT);
      const list = exporter.inFlight;
      if (list === undefined) throw new Error('the processor offered no list');
      const [a, b] = exporter.started;
      expect([list.size, list.holds(a), list.holds(b)]).to.deep.equal([2, true, true]);
      const oldest = list.firstStartedAfter(0);
      expect(oldest).to.equal(a);
      expect(oldest?.newer).to.equal(b);
      expect(oldest?.startedAtMillis).to.be.closeTo(startTime, 1);
      expect(list.firstStartedAfter(oldest?.startSeq ?? 0)).to.equal(b);
      first.end();
      expect([list.size, list.holds(a), list.firstStartedAfter(0)]).to.deep.equal([1, false, b]);
      second.end();
      expect([list.size, list.firstStartedAfter(0)]).to.deep.equal([0, undefined]);
    });
  });

  describe('which spans become tasks', () => {
    it('tracks an HTTP server span with no parent or a remote parent', () => {
      const { exporter, provider } = setup();
      serveRequest(provider, stableRequest);
      const remote = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: 1,
        isRemote: true,
      });
      serveRequest(provider, oldRequest, {}, remote);
      expect(exporter.started).to.have.length(2);
      expect(exporter.ended).to.have.length(2);
      expect(exporter.lastEnded().tags?.trace_id).to.equal('0af7651916cd43dd8448eb211c80319c');
    });

    it('ignores client, internal and non-HTTP server spans, and server spans nested in a local one', () => {
      const { exporter, provider } = setup();
      const tracer = provider.getTracer('test');
      tracer.startSpan('GET', { kind: SpanKind.CLIENT, attributes: stableRequest }).end();
      tracer.startSpan('work', { kind: SpanKind.INTERNAL, attributes: stableRequest }).end();
      tracer.startSpan('rpc', { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'grpc' } }).end();
      const outer = tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: stableRequest });
      serveRequest(provider, stableRequest, {}, trace.setSpan(context.active(), outer));
      outer.end();
      expect(exporter.started).to.have.length(1);
      expect(exporter.ended).to.have.length(1);
    });

    it('gives each in-flight request its own processor id, built from the span id', () => {
      const { exporter, provider } = setup();
      const tracer = provider.getTracer('test');
      const spans = Array.from({ length: 50 }, () => tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: stableRequest }));
      const ids = new Set(exporter.started.map((task) => task.processorId));
      expect(ids.size).to.equal(50);
      for (const span of spans) {
        expect(ids.has(`${process.pid}-0-${span.spanContext().spanId}`)).to.equal(true);
        span.end();
      }
    });
  });

  describe('stable conventions', () => {
    it('fills every field the columns need', () => {
      const { exporter, provider } = setup();
      serveRequest(provider, stableRequest, {
        'http.response.status_code': 404,
        'http.route': '/api/:resource',
        'http.response.header.content-length': [42],
        'http.response.header.content-type': ['application/json'],
      });
      const task = exporter.lastEnded();
      expect(task.method).to.equal('GET');
      expect(task.path).to.equal('/api/candles');
      expect(task.taskName).to.equal('GET /api/:resource');
      expect(task.params).to.deep.equal({ pair_id: '1', time_bucket: '4h', tag: ['a', 'b'] });
      expect(task.protocol).to.equal('http');
      expect(task.host).to.equal('shop.example:8080');
      expect(task.uri).to.equal('http://shop.example:8080/api/candles?pair_id=1&time_bucket=4h&tag=a&tag=b');
      expect(task.clientIpAddress).to.equal('10.0.0.9');
      expect(task.getOriginalIp()).to.equal('203.0.113.7');
      expect(task.getUserAgent()).to.equal('curl/8.5.0');
      expect(task.getHost()).to.equal('shop.example:8080');
      expect(task.getIpCountry()).to.equal('DE');
      expect(task.requestHeaders?.filter(([name]) => name === 'ACCEPT')).to.have.length(2);
      expect(task.statusCode).to.equal(404);
      expect(task.statusMessage).to.equal('404 Not Found');
      expect(task.getContentLength()).to.equal(42);
      expect(task.recordedSuccessfully).to.equal(true);
      expect(task.endedAt).to.be.instanceOf(Date);
      expect(task.getDuration()).to.be.at.least(0);
    });

    it('reads late attributes at write time, and an active task has no status yet', () => {
      const { exporter, provider } = setup();
      const span = provider.getTracer('test').startSpan('GET', { kind: SpanKind.SERVER, attributes: stableRequest });
      const active = exporter.started[0].snapshot() as HTTPTask;
      expect(active.endedAt).to.equal(null);
      expect(active.recordedSuccessfully).to.equal(null);
      expect(active.statusCode).to.equal(null);
      expect(active.taskName).to.equal('GET /api/candles');
      span.setAttributes({ 'http.route': '/api/candles', 'http.response.status_code': 200, 'http.response.body.size': 7 });
      span.end();
      const done = exporter.lastEnded();
      expect(done.statusMessage).to.equal('200 OK');
      expect(done.getContentLength()).to.equal(7);
    });

    it('uses the original method for _OTHER and leaves a default port out of the host', () => {
      const { exporter, provider } = setup();
      serveRequest(provider, {
        ...stableRequest,
        'http.request.method': '_OTHER',
        'http.request.method_original': 'PURGE',
        'server.port': 80,
      });
      const task = exporter.lastEnded();
      expect(task.method).to.equal('PURGE');
      expect(task.host).to.equal('shop.example');
      expect(task.getHost()).to.equal('shop.example');
    });

    it('shows no status for a response the client abandoned', () => {
      const { exporter, provider } = setup();
      serveRequest(provider, stableRequest, { 'http.response.status_code': 200, 'otel_top.response.incomplete': true });
      const task = exporter.lastEnded();
      expect(task.statusCode).to.equal(null);
      expect(task.statusMessage).to.equal(null);
      expect(task.endedAt).to.be.instanceOf(Date);
    });
  });

  describe('old conventions', () => {
    it('fills the same fields from the old names', () => {
      const { exporter, provider } = setup();
      serveRequest(provider, oldRequest, {
        'net.peer.ip': '10.1.2.3',
        'http.status_code': 500,
        'http.status_text': 'INTERNAL SERVER ERROR',
        'http.response_content_length': 11,
        'http.route': '/login',
      });
      const task = exporter.lastEnded();
      expect(task.method).to.equal('POST');
      expect(task.path).to.equal('/login');
      expect(task.params).to.deep.equal({ next: '/home', lang: 'fi' });
      expect(task.protocol).to.equal('https');
      expect(task.host).to.equal('shop.example');
      expect(task.uri).to.equal('https://shop.example/login?next=%2Fhome&lang=fi');
      expect(task.clientIpAddress).to.equal('10.1.2.3');
      expect(task.getOriginalIp()).to.equal('198.51.100.2');
      expect(task.getUserAgent()).to.equal('Mozilla/5.0');
      expect(task.statusCode).to.equal(500);
      expect(task.statusMessage).to.equal('500 Internal Server Error');
      expect(task.getContentLength()).to.equal(11);
      expect(task.taskName).to.equal('POST /login');
    });
  });

  describe('both conventions at once (http/dup)', () => {
    it('prefers the stable values and never repeats a single-valued header', () => {
      const { exporter, provider } = setup();
      serveRequest(provider, { ...oldRequest, ...stableRequest, 'http.request.header.user_agent': ['curl/8.5.0'] }, {
        'http.status_code': 201,
        'http.response.status_code': 201,
      });
      const task = exporter.lastEnded();
      expect(task.method).to.equal('GET');
      expect(task.path).to.equal('/api/candles');
      expect(task.statusCode).to.equal(201);
      for (const name of ['HOST', 'USER-AGENT', 'X-FORWARDED-FOR', 'CF-IPCOUNTRY']) {
        expect(task.requestHeaders?.filter(([header]) => header === name), name).to.have.length(1);
      }
    });
  });

  describe('process fields and tags', () => {
    it('fills the process fields and takes service and deployment attributes as tags', () => {
      const { exporter, provider } = setup({ processorName: 'web-1', hostName: 'box' });
      serveRequest(provider, stableRequest);
      const task = exporter.lastEnded();
      expect(task.processId).to.equal(process.pid);
      expect(task.threadId).to.equal(0);
      expect(task.processorName).to.equal('web-1');
      expect(task.hostName).to.equal('box');
      expect(task.commandLine).to.be.an('array').with.length.greaterThan(0);
      expect(task.tags).to.include({ 'service.name': 'shop', 'service.version': '1.2.3', 'deployment.environment.name': 'prod' });
      expect(task.tags).not.to.have.property('host.arch');
      expect(task.tags?.span_id).to.equal(task.processInternalId);
      expect(task.taskId).to.equal(task.processInternalId);
    });
  });

  describe('redaction', () => {
    const secretRequest: Attributes = {
      ...stableRequest,
      'url.query': 'token=s3cr3t-token&password=hunter2&api_key=k3y&page=2',
      'http.request.header.authorization': ['Bearer s3cr3t-bearer'],
      'http.request.header.cookie': ['sid=s3cr3t-cookie'],
      'http.request.header.x-api-key': ['s3cr3t-key'],
    };

    it('keeps credentials out of every field by default', () => {
      const { exporter, provider } = setup();
      serveRequest(provider, secretRequest, { 'http.response.header.set-cookie': ['sid=s3cr3t-set', 'b=s3cr3t-2'] });
      const json = JSON.stringify(exporter.lastEnded());
      expect(json).not.to.match(/s3cr3t|hunter2|k3y/);
      const task = exporter.lastEnded();
      expect(task.params).to.deep.equal({ token: REDACTED, password: REDACTED, api_key: REDACTED, page: '2' });
      expect(task.getSingleRequestHeader('authorization')).to.equal(REDACTED);
      expect(task.uri).to.include(`token=${REDACTED}`).and.include('page=2');
      expect(task.responseHeaders?.filter(([name]) => name === 'set-cookie')).to.deep.equal([
        ['set-cookie', REDACTED],
        ['set-cookie', REDACTED],
      ]);
    });

    it('redacts the old conventions too, including the full URL', () => {
      const { exporter, provider } = setup();
      serveRequest(provider, {
        ...oldRequest,
        'http.target': '/reset?code=s3cr3t&lang=fi',
        'http.url': 'https://user:s3cr3t@shop.example/reset?code=s3cr3t&lang=fi',
        'http.request.header.x_auth_token': ['s3cr3t'],
      });
      expect(JSON.stringify(exporter.lastEnded())).not.to.include('s3cr3t');
    });

    it('takes other lists, or can be turned off', () => {
      const custom = setup({ redactHeaders: ['x-tenant'], redactQueryParams: [/^page$/] });
      serveRequest(custom.provider, { ...secretRequest, 'http.request.header.x-tenant': ['acme'] });
      const task = custom.exporter.lastEnded();
      expect(task.getSingleRequestHeader('x-tenant')).to.equal(REDACTED);
      expect(task.getSingleRequestHeader('authorization')).to.equal('Bearer s3cr3t-bearer');
      expect(task.params?.page).to.equal(REDACTED);

      const off = setup({ redact: false });
      serveRequest(off.provider, secretRequest);
      expect(off.exporter.lastEnded().params?.token).to.equal('s3cr3t-token');
    });
  });

  describe('caps', () => {
    it('cuts long values and bounds the number of headers and params', () => {
      const { exporter, provider } = setup();
      const many: Attributes = {};
      for (let i = 0; i < 200; i++) many[`http.request.header.x-h${i}`] = ['v'];
      const query = Array.from({ length: 200 }, (_, i) => `p${i}=${'q'.repeat(10)}`).join('&');
      serveRequest(provider, {
        ...stableRequest,
        ...many,
        'url.query': `${query}&long=${'z'.repeat(10_000)}`,
        'user_agent.original': '🙂'.repeat(3000),
        'url.path': `/${'p'.repeat(20_000)}`,
      });
      const task = exporter.lastEnded();
      expect(task.requestHeaders).to.have.length(64);
      expect(Object.keys(task.params ?? {})).to.have.length(64);
      const userAgent = task.getUserAgent() ?? '';
      expect(userAgent.length).to.be.at.most(2048);
      expect(userAgent.endsWith('…')).to.equal(true);
      expect(() => encodeURIComponent(userAgent)).not.to.throw();
      expect(task.path?.length).to.be.at.most(2048);
      expect(task.uri?.length).to.be.at.most(8192);
    });
  });

  describe('failures stay inside', () => {
    class BrokenExporter implements TaskExporter {
      taskStarted(_task: TrackedTask): void {
        throw new Error('broken start');
      }
      taskEnded(_task: TrackedTask): void {
        throw new Error('broken end');
      }
      async forceFlush(): Promise<void> {}
      async shutdown(): Promise<void> {}
    }

    it('never throws into the SDK, counts errors and logs once', () => {
      const logged: string[] = [];
      diag.setLogger(
        {
          error: (message) => logged.push(message),
          warn: () => undefined,
          info: () => undefined,
          debug: () => undefined,
          verbose: () => undefined,
        },
        DiagLogLevel.ERROR,
      );
      try {
        const processor = new HttpTaskSpanProcessor({ exporter: new BrokenExporter() });
        const provider = new BasicTracerProvider({ spanProcessors: [processor] });
        for (let i = 0; i < 5; i++) {
          expect(() => serveRequest(provider, stableRequest)).not.to.throw();
        }
        expect(processor.errorCount).to.equal(10); // every start and every end
        expect(logged.filter((message) => message.includes('otel-top'))).to.have.length(1);
      } finally {
        diag.disable();
      }
    });

    it('forgets the oldest of more than 100,000 spans in flight, warns once, and tracks the rest', function () {
      // 100,000 spans: slow on a shared machine, and not a measure of speed.
      this.timeout(20_000);
      const warnings: string[] = [];
      diag.setLogger(
        {
          error: () => undefined,
          warn: (message) => warnings.push(message),
          info: () => undefined,
          debug: () => undefined,
          verbose: () => undefined,
        },
        DiagLogLevel.WARN,
      );
      try {
        const { exporter, provider } = setup();
        const tracer = provider.getTracer('test');
        // Spans an app never ends: without a bound they would be held forever.
        const spans = Array.from({ length: 100_002 }, () =>
          tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: stableRequest }, ROOT_CONTEXT),
        );
        expect(exporter.started).to.have.length(100_002);
        spans[0].end();
        spans[1].end();
        expect(exporter.ended).to.have.length(0);
        spans[2].end();
        spans[100_001].end();
        expect(exporter.ended.map((task) => task.processorId)).to.deep.equal([
          exporter.started[2].processorId,
          exporter.started[100_001].processorId,
        ]);
        expect(warnings.filter((message) => message.includes('in flight'))).to.have.length(1);
      } finally {
        diag.disable();
      }
    });

    it('passes forceFlush and shutdown to the exporter', async () => {
      const { exporter, provider } = setup();
      await provider.forceFlush();
      await provider.shutdown();
      expect(exporter.flushes).to.be.at.least(1);
      expect(exporter.shutdowns).to.equal(1);
    });
  });
});

describe('HttpTaskSpanProcessor with a resource still detecting', () => {
  it('asks the resource to settle once and tags the tasks after it has', async () => {
    let settle: () => void = () => undefined;
    const settled = new Promise<string>((resolve) => {
      settle = () => resolve('late-shop');
    });
    const resource = resourceFromAttributes({ 'service.name': settled });
    expect(resource.asyncAttributesPending).to.equal(true);
    const exporter = new CollectingExporter();
    const provider = new BasicTracerProvider({ resource, spanProcessors: [new HttpTaskSpanProcessor({ exporter })] });
    serveRequest(provider, stableRequest);
    expect(exporter.lastEnded().tags).not.to.have.property('service.name');
    settle();
    await resource.waitForAsyncAttributes?.();
    serveRequest(provider, stableRequest);
    expect(exporter.lastEnded().tags).to.include({ 'service.name': 'late-shop' });
  });
});
