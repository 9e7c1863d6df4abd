import { expect } from 'chai';
import { SORT_MODES, TaskSorter } from '../src/task-sorter.js';
import { activeTasks, completedTasks, NOW } from './task-fixture.js';

const ids = (tasks: ReadonlyArray<{ taskId: number | string | null }>): string[] => tasks.map((task) => String(task.taskId));

describe('TaskSorter', () => {
  it('by time (the default): active longest running first, completed newest first', () => {
    const sorter = new TaskSorter();
    expect(sorter.mode).to.equal('time');
    expect(ids(sorter.sortActive(activeTasks(), NOW))).to.deep.equal(['a2', 'a1']);
    expect(ids(sorter.sortCompleted(completedTasks().reverse(), NOW))).to.deep.equal(['c1', 'c2', 'c3', 'c4']);
  });

  it('by duration, longest first', () => {
    expect(ids(new TaskSorter('duration').sortCompleted(completedTasks(), NOW))).to.deep.equal(['c3', 'c2', 'c1', 'c4']);
  });

  it('by status, highest first, ties in time order', () => {
    expect(ids(new TaskSorter('status').sortCompleted(completedTasks(), NOW))).to.deep.equal(['c3', 'c4', 'c2', 'c1']);
  });

  it('by path, alphabetically', () => {
    expect(ids(new TaskSorter('path').sortCompleted(completedTasks(), NOW))).to.deep.equal(['c3', 'c2', 'c1', 'c4']);
  });

  it('cycles through every mode and back', () => {
    const seen = [];
    let sorter = new TaskSorter();
    for (let step = 0; step <= SORT_MODES.length; step++) {
      seen.push(sorter.mode);
      sorter = sorter.next();
    }
    expect(seen).to.deep.equal(['time', 'duration', 'status', 'path', 'time']);
  });
});
