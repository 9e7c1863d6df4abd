import { expect } from 'chai';
import fc from 'fast-check';
import { AttributeValue, Attributes, SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { encodeTask, HTTPTask } from '@otel-top/model';
import { HttpTaskSpanProcessor } from '../src';
import { CollectingExporter } from './collecting-exporter';

/** Names the mapper reads, so generated spans hit its code paths, not only the ignore path. */
const KNOWN_KEYS = [
  'http.request.method', 'http.method', 'http.request.method_original', 'url.path', 'url.query', 'url.scheme',
  'http.target', 'http.url', 'http.scheme', 'http.host', 'server.address', 'server.port', 'network.peer.address',
  'net.peer.ip', 'client.address', 'http.client_ip', 'user_agent.original', 'http.user_agent', 'http.route',
  'http.response.status_code', 'http.status_code', 'http.status_text', 'http.response.body.size',
  'http.response_content_length', 'otel_top.response.incomplete',
  'http.request.header.authorization', 'http.request.header.cookie', 'http.request.header.x-forwarded-for',
  'http.request.header.x_forwarded_for', 'http.request.header.host', 'http.request.header.user-agent',
  'http.request.header.cf-ipcountry', 'http.response.header.content-length', 'http.response.header.set-cookie',
];

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', '%', '%zz', 'http://u:p@h/x?y#z', '\ud800', '\u0000', '_OTHER', 'GET', '/a?b'),
  fc.nat({ max: 20_000 }).map((length) => 'ü'.repeat(length)),
);
/** Secrets where requests carry them: the query string, credential headers. None may come out. */
const secrets: fc.Arbitrary<Attributes> = fc.record(
  {
    'url.query': fc.constantFrom('a=1&a=2&token=s3cret', 'password=s3cret&x=%zz'),
    'http.target': fc.constant('/p?access_token=s3cret&x=1'),
    'http.url': fc.constant('http://h/p?api_key=s3cret'),
    'http.request.header.authorization': fc.constant(['Bearer s3cret']),
    'http.request.header.cookie': fc.constant(['sid=s3cret']),
    'http.request.header.x-api-key': fc.constant(['s3cret']),
    'http.request.header.x_api_key': fc.constant(['s3cret']),
    'http.response.header.set-cookie': fc.constant(['sid=s3cret; HttpOnly', 'b=s3cret']),
  },
  { requiredKeys: [] },
);
const value: fc.Arbitrary<AttributeValue> = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(text, { maxLength: 5 }),
  fc.array(fc.oneof(fc.integer(), fc.constant(null)), { maxLength: 5 }) as fc.Arbitrary<AttributeValue>,
  fc.array(fc.boolean(), { maxLength: 3 }),
);
const key = fc.oneof(
  fc.constantFrom(...KNOWN_KEYS),
  fc.constantFrom(...KNOWN_KEYS),
  text.map((name) => `http.request.header.${name}`),
  text.map((name) => `http.response.header.${name}`),
  text,
);
const attributes: fc.Arbitrary<Attributes> = fc.dictionary(key, value, { maxKeys: 25 });
const method = fc.record({ 'http.request.method': fc.oneof(text, fc.constant('GET')) });
const startTime = fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: -1e15, max: 1e15 }),
  fc.constantFrom(0, 8.64e15, 1e20, -1e20, Number.MAX_SAFE_INTEGER),
  fc.date({ noInvalidDate: false }),
);

describe('Span-to-task mapping under generated spans (fuzz)', () => {
  for (const maxBytes of [4096, 16_384]) {
    it(`never throws, and every task is valid wire JSON of at most ${maxBytes} bytes`, () => {
      fc.assert(
        fc.property(method, attributes, attributes, secrets, startTime, fc.boolean(), (required, early, late, secret, start, ended) => {
          const exporter = new CollectingExporter();
          const processor = new HttpTaskSpanProcessor({ exporter, processorName: 'fuzz' });
          const provider = new BasicTracerProvider({ spanProcessors: [processor] });
          const span = provider
            .getTracer('fuzz')
            .startSpan('request', { kind: SpanKind.SERVER, attributes: { ...early, ...required }, startTime: start });
          span.setAttributes({ ...late, ...secret });
          if (ended) span.end();

          expect(processor.errorCount).to.equal(0);
          expect(exporter.started).to.have.length(1);
          const tasks = [exporter.started[0], ...exporter.ended];
          for (const tracked of tasks) {
            const json = encodeTask(tracked.snapshot(), maxBytes);
            expect(Buffer.byteLength(json)).to.be.at.most(maxBytes);
            const decoded = HTTPTask.fromJSON(json);
            expect(decoded.getProcessorTrackingId()).to.equal(tracked.processorId);
            // No secret survives: the generator puts it in query strings, URLs and header values.
            expect(json).not.to.include('s3cret');
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});
