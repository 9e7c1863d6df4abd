import { expect } from 'chai';
import { HTTPTask } from '@otel-top/model';
import pc from 'picocolors';
import { RequestDetail } from '../src/request-detail.js';
import { TaskDetail } from '../src/task-detail.js';
import { TaskFormatter } from '../src/task-formatter.js';
import { activeTasks, completedTasks, NOW } from './task-fixture.js';

const format = new TaskFormatter({ slowMillis: 500, verySlowMillis: 2_000, stalledMillis: 30_000 });

describe('RequestDetail', () => {
  it('gives every field of a completed request, its headers and tags', () => {
    expect(RequestDetail.of(completedTasks()[2]!, NOW, format)).to.deep.equal([
      {
        title: 'Request',
        kind: 'fields',
        fields: [
          { name: 'Method', value: { text: 'GET' } },
          { name: 'Path', value: { text: '/api/fail' } },
          { name: 'Route', value: { text: '/api/fail' } },
          { name: 'URI', value: { text: 'http://shop.example:8080/api/fail' } },
          { name: 'Host', value: { text: 'shop.example:8080' } },
          { name: 'Protocol', value: { text: 'http' } },
          { name: 'Params', value: { text: '-' } },
          { name: 'Original IP', value: { text: '198.51.100.23' } },
          { name: 'Peer IP', value: { text: '10.0.0.1' } },
          { name: 'Country', value: { text: '-' } },
          { name: 'User agent', value: { text: 'curl/8.5.0' } },
        ],
      },
      {
        title: 'Response',
        kind: 'fields',
        fields: [
          { name: 'Status', value: { text: '500', tone: 'critical' } },
          { name: 'Status message', value: { text: '500' } },
          { name: 'Content length', value: { text: '21' } },
          { name: 'Duration', value: { text: '2.5s', tone: 'bad' } },
          { name: 'Ended ago', value: { text: '1s' } },
        ],
      },
      {
        title: 'Task',
        kind: 'fields',
        fields: [
          { name: 'Task id', value: { text: 'c3' } },
          { name: 'Task name', value: { text: 'GET /api/fail' } },
          { name: 'Trace id', value: { text: 'c3000000000000000000000000000000' } },
          { name: 'Span id', value: { text: 'c300000000000000' } },
          { name: 'Service', value: { text: 'shop' } },
          { name: 'Server (host name)', value: { text: 'vm1' } },
          { name: 'Process id', value: { text: '101' } },
          { name: 'Thread id', value: { text: '0' } },
          { name: 'Worker', value: { text: '101:main' } },
          { name: 'Processor id', value: { text: '101-0-c3' } },
          { name: 'Started at', value: { text: '2026-11-23T21:16:26.500Z' } },
          { name: 'Updated at', value: { text: '2026-11-23T21:16:29.000Z' } },
          { name: 'Ended at', value: { text: '2026-11-23T21:16:29.000Z' } },
          { name: 'Recorded successfully', value: { text: 'true' } },
          { name: 'Command line', value: { text: '/usr/bin/node server.js' } },
        ],
      },
      {
        title: 'Request headers',
        kind: 'pairs',
        pairs: [
          ['HOST', 'shop.example:8080'],
          ['USER-AGENT', 'curl/8.5.0'],
          ['X-FORWARDED-FOR', '198.51.100.23, 10.0.0.1'],
        ],
      },
      { title: 'Response headers', kind: 'pairs', pairs: [['Content-Length', '21']] },
      {
        title: 'Tags',
        kind: 'pairs',
        pairs: [
          ['service.name', 'shop'],
          ['trace_id', 'c3000000000000000000000000000000'],
          ['span_id', 'c300000000000000'],
        ],
      },
    ]);
  });

  it('says a running request is running, with its duration so far and no end', () => {
    const [request, response] = RequestDetail.of(activeTasks()[1]!, NOW, format);
    expect(request?.kind === 'fields' && request.fields.find((field) => field.name === 'Country')?.value).to.deep.equal({ text: '🇬🇧 GB' });
    expect(response).to.deep.equal({
      title: 'Response',
      kind: 'fields',
      fields: [
        { name: 'Status', value: { text: 'running' } },
        { name: 'Status message', value: { text: '-' } },
        { name: 'Content length', value: { text: '-' } },
        { name: 'Duration', value: { text: '41.3s STALLED', tone: 'critical' } },
        { name: 'Ended ago', value: { text: '-' } },
      ],
    });
  });

  it('writes params as JSON, and a task with nothing known as dashes', () => {
    const sections = RequestDetail.of(new HTTPTask({ params: { a: ['1', '2'], token: '[REDACTED]' } }), NOW, format);
    const fields = sections.flatMap((section) => (section.kind === 'fields' ? section.fields : []));
    expect(fields.find((field) => field.name === 'Params')?.value.text).to.equal('{"a":["1","2"],"token":"[REDACTED]"}');
    // Not ended, so running; the processor id is made of the (unknown) ids.
    expect(fields.filter((field) => field.value.text !== '-').map((field) => [field.name, field.value.text])).to.deep.equal([
      ['Params', '{"a":["1","2"],"token":"[REDACTED]"}'],
      ['Status', 'running'],
      ['Processor id', 'pid:null tid:null'],
    ]);
    expect(sections.filter((section) => section.kind === 'pairs').map((section) => section.kind === 'pairs' && section.pairs.length)).to.deep.equal([0, 0, 0]);
  });
});

describe('TaskDetail', () => {
  it('draws each section under its title, the values lined up, a dash for an empty list', () => {
    const lines = new TaskDetail(pc.createColors(false)).lines([
      { title: 'Response', kind: 'fields', fields: [{ name: 'Status', value: { text: '404', tone: 'warning' } }, { name: 'Content length', value: { text: '-' } }] },
      { title: 'Request headers', kind: 'pairs', pairs: [['HOST', 'a'], ['X-TEST', 'b c']] },
      { title: 'Tags', kind: 'pairs', pairs: [] },
    ]);
    expect(lines).to.deep.equal([
      'Response',
      '  Status                 404',
      '  Content length         -',
      '',
      'Request headers',
      '  HOST: a',
      '  X-TEST: b c',
      '',
      'Tags',
      '  -',
    ]);
  });

  it('colours the titles, names and toned values', () => {
    const lines = new TaskDetail(pc.createColors(true)).lines([{ title: 'Response', kind: 'fields', fields: [{ name: 'Status', value: { text: '404', tone: 'warning' } }] }]);
    expect(lines).to.deep.equal([
      '\u001b[1m\u001b[4mResponse\u001b[24m\u001b[22m',
      `  \u001b[2m${'Status'.padEnd(22)}\u001b[22m \u001b[33m404\u001b[39m`,
    ]);
  });

  it('shows control characters in names and values as U+FFFD: headers, tags and open spans come from whatever wrote the task', () => {
    const lines = new TaskDetail(pc.createColors(false)).lines([
      { title: 'Request headers', kind: 'pairs', pairs: [['X-\u001b[2J', 'a\u0007b']] },
      {
        title: 'Waiting on',
        kind: 'spans',
        spans: [{ depth: 0, name: 'q\u009b', kind: 'CLIENT', summary: 'pg \u001b]0;x', open: { text: '1.2s' }, attributes: [['db.\u0000', 'SELECT \u001b[31m']] }],
      },
    ]);
    expect(lines).to.deep.equal([
      'Request headers',
      '  X-\ufffd[2J: a\ufffdb',
      '',
      'Waiting on',
      '  pg \ufffd]0;x (client span "q\ufffd") 1.2s',
      '      db.\ufffd: SELECT \ufffd[31m',
    ]);
  });

  it('draws a whole running request in 53 lines', () => {
    // 50, and the three of what it waits on (nothing, for this request).
    expect(new TaskDetail(pc.createColors(false)).lines(RequestDetail.of(activeTasks()[1]!, NOW, format))).to.have.length(53);
  });
});
