import { expect } from 'chai';
import { initialLiveState } from '@otel-top/cli/view-model';
import { ViewQuery } from '../src/index.js';

const parse = (search: string): ViewQuery => ViewQuery.parse(new URLSearchParams(search), '1m');

describe('ViewQuery: the view a page address asks for', () => {
  it('is the terminal\'s starting state without parameters', () => {
    const query = parse('');
    expect(query.state).to.deep.equal(initialLiveState('1m'));
    expect(query.detailKey).to.equal(undefined);
  });

  it('takes the view, window, sorts, filter, scope and detail', () => {
    const routes = parse('view=routes&window=5m&sort=status&route-sort=p99&filter=5xx%20api');
    expect(routes.state.view).to.equal('routes');
    expect(routes.state.window).to.equal('5m');
    expect(routes.state.views.requests).to.include({ sort: 'status', filter: '5xx api' });
    expect(routes.state.views.routes.sort).to.equal('p99');
    expect(parse('route=GET%20/api/x').state.views.requests.scope).to.deep.equal({ kind: 'route', name: 'GET /api/x' });
    expect(parse('host=vm1&pid=42').state.views.requests.scope).to.deep.equal({ kind: 'process', host: 'vm1', pid: 42 });
    expect(parse('detail=abc|1|2').detailKey).to.equal('abc|1|2');
  });

  it('falls back to the defaults on values it does not know, and cuts long ones', () => {
    const query = parse(`view=<script>&window=1h&sort=x&route-sort=y&pid=nope&filter=${'a'.repeat(2_000)}`);
    expect(query.state.view).to.equal('requests');
    expect(query.state.window).to.equal('1m');
    expect(query.state.views.requests.sort).to.equal('time');
    expect(query.state.views.routes.sort).to.equal('count');
    expect(query.state.views.requests.scope).to.equal(undefined);
    expect(query.state.views.requests.filter).to.have.length(512);
  });

  it('gives pages that show the same the same signature, and others another', () => {
    expect(parse('view=routes&filter=a').signature).to.equal(parse('filter=a&view=routes').signature);
    expect(parse('view=routes').signature).not.to.equal(parse('view=processes').signature);
    expect(parse('detail=k1').signature).not.to.equal(parse('detail=k2').signature);
  });
});
