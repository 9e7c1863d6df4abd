import { expect } from 'chai';
import { HTTP_TASK_WIRE_FIELDS, HTTPTask, Task, TASK_WIRE_FIELDS, TaskDecodeError } from '../src';

const pythonTask = {
  task_id: 140538974609999,
  task_name: null,
  host_name: 'vm',
  process_id: 3209,
  thread_id: 140379631329984,
  process_internal_id: null,
  processor_name: '<Worker 2125132>',
  started_at: '2026-11-23T20:42:11.052889+00:00',
  updated_at: '2026-11-23T20:42:11.103397+00:00',
  ended_at: '2026-11-23T20:42:11.103397+00:00',
  recorded_successfully: true,
  tags: null,
  command_line: ['gen_fixtures.py'],
  protocol: null,
  host: null,
  method: 'POST',
  path: '/api/login',
  params: null,
  uri: null,
  client_ip_address: '10.1.2.3',
  request_headers: [
    ['HOST', 'example.com'],
    ['USER-AGENT', 'Mozilla/5.0'],
    ['X-FORWARDED-FOR', ' 203.0.113.7, 10.0.0.1'],
    ['CF-IPCOUNTRY', 'fi'],
  ],
  status_code: 200,
  status_message: '200 OK',
  response_headers: [
    ['Content-Type', 'application/json'],
    ['Content-Length', '429000'],
    ['Set-Cookie', 'a=1'],
    ['Set-Cookie', 'b=2'],
  ],
};

const openSpanWire = {
  span_id: 'b7ad6b7169203331',
  parent_span_id: 'd82bf8fe5d6c6017',
  name: 'SELECT orders',
  kind: 'CLIENT',
  started_at: '2026-11-23T20:42:11.060000+00:00',
  attributes: { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.collection.name': 'orders' },
};

describe('HTTPTask', () => {
  it('decodes what the Python Top Framework writes, field by field', () => {
    const task = HTTPTask.fromJSON(JSON.stringify(pythonTask));
    expect(task.taskId).to.equal(140538974609999);
    expect(task.threadId).to.equal(140379631329984);
    expect(task.processorName).to.equal('<Worker 2125132>');
    expect(task.startedAt?.toISOString()).to.equal('2026-11-23T20:42:11.052Z');
    expect(task.endedAt?.toISOString()).to.equal('2026-11-23T20:42:11.103Z');
    expect(task.recordedSuccessfully).to.equal(true);
    expect(task.method).to.equal('POST');
    expect(task.statusCode).to.equal(200);
    expect(task.responseHeaders).to.have.length(4);
    expect(task.commandLine).to.deep.equal(['gen_fixtures.py']);
    expect(task.uri).to.equal(null);
  });

  it('derives the reference reader columns', () => {
    const task = HTTPTask.fromJSON(pythonTask);
    expect(task.getDuration()).to.equal(51);
    expect(task.getAgo(new Date('2026-11-23T20:42:12.103Z'))).to.equal(1000);
    expect(task.getContentLength()).to.equal(429000);
    expect(task.getSingleResponseHeader('content-type')).to.equal('application/json');
    expect(task.getUserAgent()).to.equal('Mozilla/5.0');
    expect(task.getHost()).to.equal('example.com');
    expect(task.getOriginalIp()).to.equal('203.0.113.7');
    expect(task.getIpCountry()).to.equal('fi');
    expect(task.getFlag()).to.equal('🇫🇮');
    expect(task.getProcessorTrackingId()).to.equal('pid:3209 tid:140379631329984');
  });

  it('measures a running task up to now and has no ago', () => {
    const task = new HTTPTask({ startedAt: new Date('2026-01-01T00:00:00Z') });
    expect(task.getDuration(new Date('2026-01-01T00:00:02.500Z'))).to.equal(2500);
    expect(task.getAgo()).to.equal(undefined);
    expect(new HTTPTask().getDuration()).to.equal(undefined);
  });

  it('falls back to the direct peer without X-Forwarded-For, and to the host field without a Host header', () => {
    const task = new HTTPTask({ clientIpAddress: '::1', host: 'shop.example:8080' });
    expect(task.getOriginalIp()).to.equal('::1');
    expect(task.getHost()).to.equal('shop.example:8080');
    expect(task.getFlag()).to.equal(undefined);
    expect(task.getContentLength()).to.equal(undefined);
  });

  it('uses the internal id form of the processor tracking id', () => {
    const task = new HTTPTask({ processId: 12, threadId: 0, processInternalId: 'abc' });
    expect(task.getProcessorTrackingId()).to.equal('12-0-abc');
    // As in Python, an empty internal id counts as none.
    expect(new HTTPTask({ processId: 12, threadId: 0, processInternalId: '' }).getProcessorTrackingId()).to.equal('pid:12 tid:0');
  });

  it('round-trips through JSON.stringify with the wire names, in the Python order', () => {
    const task = HTTPTask.fromJSON(pythonTask);
    const wire = JSON.parse(JSON.stringify(task)) as Record<string, unknown>;
    expect(Object.keys(wire)).to.deep.equal(Object.keys(pythonTask));
    expect(wire.started_at).to.equal('2026-11-23T20:42:11.052000+00:00');
    expect(HTTPTask.fromJSON(JSON.stringify(task))).to.deep.equal(task);
  });

  it('encodes exactly the fields of the wire tables, in their order, open_spans only when there are some', () => {
    const wireNames = HTTP_TASK_WIRE_FIELDS.map((field) => field.wireName);
    expect(wireNames[wireNames.length - 1]).to.equal('open_spans');
    expect(Object.keys(new HTTPTask().toJSON())).to.deep.equal(wireNames.slice(0, -1));
    expect(Object.keys(new HTTPTask({ openSpans: [] }).toJSON())).to.deep.equal(wireNames);
    expect(Object.keys(new Task().toJSON())).to.deep.equal(TASK_WIRE_FIELDS.map((field) => field.wireName));
    expect(Object.values(new HTTPTask({ path: undefined }).toJSON()).every((value) => value === null)).to.equal(true);
  });

  it('decodes every field as the wire tables say, and names any field of the wrong type', () => {
    // fromJSON spells the fields out for speed; the tables are the reference it is held to.
    const everyField = {
      ...pythonTask,
      task_name: 'POST /api/login',
      process_internal_id: 'a1b2',
      tags: { 'service.name': 'shop' },
      protocol: 'https',
      host: 'example.com',
      params: { page: '2', tag: ['a', 'b'] },
      uri: 'https://example.com/api/login?page=2',
      open_spans: [openSpanWire],
    };
    expect(Object.values(everyField).every((value) => value !== null)).to.equal(true);
    const notAnyType = { x: 1 };
    for (const [decode, fields] of [
      [(wire: Record<string, unknown>) => HTTPTask.fromJSON(wire), HTTP_TASK_WIRE_FIELDS],
      [(wire: Record<string, unknown>) => Task.fromJSON(wire), TASK_WIRE_FIELDS],
    ] as const) {
      for (const wire of [pythonTask, everyField] as Array<Record<string, unknown>>) {
        const decoded = decode(wire) as unknown as Record<string, unknown>;
        const expected: Record<string, unknown> = {};
        for (const field of fields) field.decodeInto(expected as never, wire[field.wireName]);
        expect(Object.keys(decoded).sort()).to.deep.equal(Object.keys(expected).sort());
        for (const key of Object.keys(expected)) expect(decoded[key], key).to.deep.equal(expected[key]);
      }
      for (const field of fields) {
        expect(() => decode({ [field.wireName]: notAnyType }), field.wireName).to.throw(TaskDecodeError, field.wireName);
      }
    }
  });

  it('ignores unknown keys and reads missing fields as null', () => {
    const task = HTTPTask.fromJSON('{"method":"GET","future_field":{"x":1}}');
    expect(task.method).to.equal('GET');
    expect(task.path).to.equal(null);
    expect(JSON.stringify(task)).not.to.include('future_field');
  });

  describe('open spans', () => {
    it('round-trips open spans with the wire names, times as the task has them', () => {
      const task = HTTPTask.fromJSON({ ...pythonTask, ended_at: null, open_spans: [openSpanWire, { ...openSpanWire, span_id: 'c1', kind: 'INTERNAL' }] });
      expect(task.openSpans).to.have.length(2);
      expect(task.openSpans?.[0]).to.deep.equal({
        spanId: 'b7ad6b7169203331',
        parentSpanId: 'd82bf8fe5d6c6017',
        name: 'SELECT orders',
        kind: 'CLIENT',
        startedAt: new Date('2026-11-23T20:42:11.060Z'),
        attributes: openSpanWire.attributes,
      });
      const wire = JSON.parse(JSON.stringify(task)) as Record<string, unknown>;
      expect(wire.open_spans).to.deep.equal([openSpanWire, { ...openSpanWire, span_id: 'c1', kind: 'INTERNAL' }]);
      expect(Object.keys((wire.open_spans as object[])[0])).to.deep.equal(Object.keys(openSpanWire));
    });

    it('reads a completed task, or one from a writer that does not follow spans, as having none', () => {
      expect(HTTPTask.fromJSON(pythonTask).openSpans).to.equal(null);
      expect(HTTPTask.fromJSON({ ...pythonTask, open_spans: null }).openSpans).to.equal(null);
      expect(HTTPTask.fromJSON({ ...pythonTask, ended_at: null, open_spans: [] }).openSpans).to.deep.equal([]);
      expect(JSON.stringify(HTTPTask.fromJSON(pythonTask))).not.to.include('open_spans');
    });

    it('ignores unknown keys of an open span, reads missing ones as null, and takes scalar attributes', () => {
      const task = HTTPTask.fromJSON({ open_spans: [{ name: 'GET', future: { x: 1 }, attributes: { 'server.port': 443, sampled: true } }] });
      expect(task.openSpans).to.deep.equal([
        { spanId: null, parentSpanId: null, name: 'GET', kind: null, startedAt: null, attributes: { 'server.port': 443, sampled: true } },
      ]);
    });

    const wrongSpans: Array<[string, unknown]> = [
      ['not an array', { name: 'GET' }],
      ['an entry that is not an object', ['GET']],
      ['a name that is not a string', [{ name: 7 }]],
      ['a kind that is not a string', [{ kind: 2 }]],
      ['a start that is not a time', [{ started_at: 'yesterday' }]],
      ['attributes that are not an object', [{ attributes: [['a', 'b']] }]],
      ['an attribute that is not a scalar', [{ attributes: { a: { b: 1 } } }]],
    ];
    for (const [what, value] of wrongSpans) {
      it(`rejects open_spans with ${what}, naming the field`, () => {
        try {
          HTTPTask.fromJSON({ ...pythonTask, open_spans: value });
          expect.fail('decoded');
        } catch (error) {
          expect(error).to.be.instanceOf(TaskDecodeError);
          expect((error as TaskDecodeError).field).to.equal('open_spans');
        }
      });
    }
  });

  it('decodes a plain Task with its HTTP fields null', () => {
    const task = HTTPTask.fromJSON({ task_id: 'cron-1', task_name: 'nightly-report', started_at: '2026-11-23T20:42:11+00:00' });
    expect(task.taskName).to.equal('nightly-report');
    expect(task.method).to.equal(null);
    expect(Task.fromJSON({ task_id: 5 }).taskId).to.equal(5);
  });

  const wrong: Array<[string, unknown]> = [
    ['task_id', 1.5],
    ['process_id', '3209'],
    ['started_at', 'yesterday'],
    ['started_at', 1700000000],
    ['recorded_successfully', 'yes'],
    ['tags', { a: 1 }],
    ['command_line', 'node app.js'],
    ['params', { a: 1 }],
    ['request_headers', [['HOST']]],
    ['response_headers', { 'Content-Length': '1' }],
    ['status_code', '200'],
    ['method', 7],
  ];
  for (const [field, value] of wrong) {
    it(`rejects ${JSON.stringify(value)} as ${field} with a TaskDecodeError naming the field`, () => {
      const decode = (): HTTPTask => HTTPTask.fromJSON({ ...pythonTask, [field]: value });
      expect(decode).to.throw(TaskDecodeError, field);
      try {
        decode();
      } catch (error) {
        expect((error as TaskDecodeError).field).to.equal(field);
      }
    });
  }

  it('rejects text that is not a JSON object', () => {
    expect(() => HTTPTask.fromJSON('{nope')).to.throw(TaskDecodeError, 'not JSON');
    expect(() => HTTPTask.fromJSON('[1,2]')).to.throw(TaskDecodeError, 'JSON object');
    expect(() => HTTPTask.fromJSON('null')).to.throw(TaskDecodeError, 'JSON object');
  });
});
