import { expect } from 'chai';
import { TaskFilter } from '../src/task-filter.js';
import { activeTasks, completedTasks, request } from './task-fixture.js';

const all = [...activeTasks(), ...completedTasks()];
const matching = (query: string): string[] =>
  all.filter((task) => new TaskFilter(query).matches(task)).map((task) => String(task.taskId));

describe('TaskFilter', () => {
  it('matches everything when empty or blank', () => {
    expect(new TaskFilter('').isEmpty).to.equal(true);
    expect(new TaskFilter('   ').isEmpty).to.equal(true);
    expect(matching('  ')).to.deep.equal(['a1', 'a2', 'c1', 'c2', 'c3', 'c4']);
  });

  it('matches a word against path, route, method, status and its class, IPs, host, server name and service, ignoring case', () => {
    expect(matching('/API/EXPORT')).to.deep.equal(['a2']);
    expect(matching('static/*')).to.deep.equal(['c4']); // the route
    expect(matching('post')).to.deep.equal(['c2']);
    expect(matching('500')).to.deep.equal(['c3']);
    expect(matching('4xx')).to.deep.equal(['c4']);
    expect(matching('2xx')).to.deep.equal(['c1', 'c2']);
    expect(matching('198.51.100')).to.deep.equal(['c3']); // the original IP
    expect(matching('10.0.0.1')).to.have.length(6); // the peer
    expect(matching('shop.example')).to.have.length(6); // the Host header
    expect(matching('vm1')).to.have.length(6);
  });

  it('needs every word to match', () => {
    expect(matching('products 2xx')).to.deep.equal(['c1']);
    expect(matching('products 4xx')).to.deep.equal([]);
    expect(matching('get 4xx static')).to.deep.equal(['c4']);
  });

  it('matches the service and the server name of each task', () => {
    const other = request({ id: 'o', pid: 9, path: '/pay', startedAgo: 5, host: 'vm2', service: 'billing' });
    expect(new TaskFilter('billing').matches(other)).to.equal(true);
    expect(new TaskFilter('vm2').matches(other)).to.equal(true);
    expect(all.some((task) => new TaskFilter('billing').matches(task))).to.equal(false);
  });

  it('has no status to match while a request runs', () => {
    expect(matching('xx')).to.deep.equal(['c1', 'c2', 'c3', 'c4']);
  });
});
