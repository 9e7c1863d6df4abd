import { expect } from 'chai';
import pc from 'picocolors';
import { describeOpenSpan, HTTPTask, innermostOpenSpan, OpenSpan, openSpanDepths } from '@otel-top/model';
import { ColumnCatalog } from '../src/column-catalog.js';
import { RequestDetail } from '../src/request-detail.js';
import { TaskDetail } from '../src/task-detail.js';
import { TaskFormatter } from '../src/task-formatter.js';
import { NOW, request } from './task-fixture.js';

const format = new TaskFormatter({ slowMillis: 500, verySlowMillis: 2_000, stalledMillis: 30_000 });
const ago = (millis: number): Date => new Date(NOW.getTime() - millis);

function span(id: string, parent: string, name: string, startedAgo: number, attributes: Record<string, string> = {}, kind = 'CLIENT'): OpenSpan {
  return { spanId: id, parentSpanId: parent, name, kind, startedAt: ago(startedAgo), attributes };
}

/** A request waiting on Postgres inside a handler span, with an outbound call that has a span of its own beside. */
function waitingRequest(): HTTPTask {
  const task = request({ id: 'w1', pid: 7, path: '/orders/7', route: '/orders/:id', startedAgo: 15_000 });
  task.openSpans = [
    span('h', 'w1', 'request handler', 14_900, {}, 'INTERNAL'),
    span('q', 'h', 'SELECT', 12_300, { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.collection.name': 'orders', 'db.query.text': 'SELECT * FROM orders WHERE id = ?' }),
    span('c', 'h', 'GET', 8_100, { 'http.request.method': 'GET', 'server.address': 'payments.internal', 'url.path': '/charge' }),
  ];
  return task;
}

describe('What a request waits on', () => {
  it('is its innermost open span, the latest started of those with nothing open inside', () => {
    const task = waitingRequest();
    expect(innermostOpenSpan(task.openSpans)?.spanId).to.equal('c');
    expect(innermostOpenSpan([span('a', 'r', 'outer', 9), span('b', 'a', 'inner', 5)])?.spanId).to.equal('b');
    expect(innermostOpenSpan([])).to.equal(undefined);
    expect(innermostOpenSpan(null)).to.equal(undefined);
  });

  it('is said in a few words from the semantic conventions of database, HTTP, RPC and messaging spans', () => {
    const [, query, call] = waitingRequest().openSpans ?? [];
    expect(describeOpenSpan(query)).to.equal('postgresql SELECT orders');
    expect(describeOpenSpan(call)).to.equal('GET payments.internal /charge');
    expect(describeOpenSpan(span('r', 'p', 'grpc', 1, { 'rpc.service': 'Billing', 'rpc.method': 'Charge' }))).to.equal('Billing/Charge');
    expect(describeOpenSpan(span('m', 'p', 'send', 1, { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' }))).to.equal('kafka orders');
    expect(describeOpenSpan(span('i', 'p', 'compute totals', 1, {}, 'INTERNAL'))).to.equal('compute totals');
  });

  it('shows in the Waiting on column with how long it has been open, and only when some request waits', () => {
    const column = new ColumnCatalog(format).select(['Waiting on'])[0];
    expect(column.cell(waitingRequest(), NOW).text).to.equal('GET payments.internal /charge 8.1s');
    expect(column.cell(request({ id: 'x', pid: 1, path: '/', startedAgo: 10 }), NOW).text).to.equal('');
    expect(column.showWhen).to.equal('any-value');
    expect(ColumnCatalog.ACTIVE_DEFAULT).to.include('Waiting on');
    expect(ColumnCatalog.RECENT_DEFAULT).to.include('Waiting on');
  });

  it('shows in the detail as a tree, each span under the one it runs in, with its attributes', () => {
    expect(openSpanDepths(waitingRequest().openSpans ?? []).map(({ depth }) => depth)).to.deep.equal([0, 1, 1]);
    const sections = RequestDetail.of(waitingRequest(), NOW, format);
    const lines = new TaskDetail(pc.createColors(false)).lines(sections);
    const start = lines.indexOf('Waiting on (open spans)');
    expect(lines.slice(start, start + 9)).to.deep.equal([
      'Waiting on (open spans)',
      '  request handler (internal span "request handler") 14.9s',
      '    postgresql SELECT orders (client span "SELECT") 12.3s',
      '        db.system.name: postgresql',
      '        db.operation.name: SELECT',
      '        db.collection.name: orders',
      '        db.query.text: SELECT * FROM orders WHERE id = ?',
      '    GET payments.internal /charge (client span "GET") 8.1s',
      '        http.request.method: GET',
    ]);
    // A completed request has none, and says nothing of them.
    const done = request({ id: 'd', pid: 1, path: '/', startedAgo: 100, endedAgo: 50, status: 200 });
    expect(RequestDetail.of(done, NOW, format).map((section) => section.title)).to.not.include('Waiting on (open spans)');
  });
});
