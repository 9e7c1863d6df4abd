import { expect } from 'chai';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { HTTPTask, MAX_COMPLETED_TASKS_ENV } from '@otel-top/model';
import { HttpTaskSpanProcessor } from '@otel-top/span-processor';
import { MemoryTaskExporter } from '../src';
import { BrokenTask, StaticTask } from './static-task';

describe('MemoryTaskExporter', () => {
  it('holds a task as active from its start, and as completed after its end', () => {
    const exporter = new MemoryTaskExporter();
    const task = StaticTask.make(1);
    exporter.taskStarted(task);
    expect([...exporter.getActiveTasks()]).to.deep.equal([[task.processorId, task.task]]);
    expect(exporter.getCompletedTasks()).to.deep.equal([]);
    exporter.taskEnded(task);
    expect(exporter.getActiveTasks().size).to.equal(0);
    expect(exporter.getCompletedTasks()).to.deep.equal([task.task]);
  });

  it('shows the open spans of an active request as they are when it is read', () => {
    const exporter = new MemoryTaskExporter();
    const tracer = new NodeTracerProvider({ spanProcessors: [new HttpTaskSpanProcessor({ exporter })] }).getTracer('test');
    const server = tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': '/x' } }, ROOT_CONTEXT);
    const openSpans = (): unknown => [...exporter.getActiveTasks().values()].map((task) => (task as HTTPTask).openSpans?.map((span) => span.name));
    expect(openSpans()).to.deep.equal([[]]);
    const call = tracer.startSpan('SELECT orders', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, server));
    expect(openSpans()).to.deep.equal([['SELECT orders']]);
    call.end();
    expect(openSpans()).to.deep.equal([[]]);
    server.end();
    expect((exporter.getCompletedTasks()[0] as HTTPTask).openSpans).to.equal(null);
  });

  it('keeps concurrent tasks apart by processor id', () => {
    const exporter = new MemoryTaskExporter();
    const tasks = [1, 2, 3].map((id) => StaticTask.make(id));
    for (const task of tasks) exporter.taskStarted(task);
    exporter.taskEnded(tasks[1]);
    expect([...exporter.getActiveTasks().keys()]).to.deep.equal([tasks[0].processorId, tasks[2].processorId]);
  });

  it('keeps the newest maxCompletedTasks completed tasks, newest first', () => {
    const exporter = new MemoryTaskExporter({ maxCompletedTasks: 3 });
    const tasks = [1, 2, 3, 4, 5].map((id) => StaticTask.make(id));
    for (const task of tasks) {
      exporter.taskStarted(task);
      exporter.taskEnded(task);
    }
    expect(exporter.getCompletedTasks().map((task) => task.taskId)).to.deep.equal(['5', '4', '3']);
    expect(exporter.getCompletedTasks(2).map((task) => task.taskId)).to.deep.equal(['5', '4']);
    expect(exporter.getStats()).to.deep.equal({ active: 0, completed: 3, dropped: 0, errors: 0 });
  });

  it('reads the completed list length from TOP_MAX_COMPLETED_TASKS, and refuses a bad one', () => {
    const saved = process.env[MAX_COMPLETED_TASKS_ENV];
    try {
      process.env[MAX_COMPLETED_TASKS_ENV] = '2';
      const exporter = new MemoryTaskExporter();
      for (const id of [1, 2, 3]) exporter.taskEnded(StaticTask.make(id));
      expect(exporter.getCompletedTasks().map((task) => task.taskId)).to.deep.equal(['3', '2']);
      process.env[MAX_COMPLETED_TASKS_ENV] = 'many';
      expect(() => new MemoryTaskExporter()).to.throw(TypeError, /TOP_MAX_COMPLETED_TASKS must be a positive integer/);
    } finally {
      if (saved === undefined) delete process.env[MAX_COMPLETED_TASKS_ENV];
      else process.env[MAX_COMPLETED_TASKS_ENV] = saved;
    }
  });

  it('drops and counts starts beyond maxActiveTasks, and still completes the tasks it holds', () => {
    const exporter = new MemoryTaskExporter({ maxActiveTasks: 2 });
    const tasks = [1, 2, 3].map((id) => StaticTask.make(id));
    for (const task of tasks) exporter.taskStarted(task);
    expect(exporter.getActiveTasks().size).to.equal(2);
    expect(exporter.getStats().dropped).to.equal(1);
    exporter.taskEnded(tasks[0]);
    exporter.taskStarted(StaticTask.make(4));
    expect([...exporter.getActiveTasks().values()].map((task) => task.taskId)).to.deep.equal(['2', '4']);
  });

  it('skips and counts a task that cannot be built, without throwing', () => {
    const exporter = new MemoryTaskExporter();
    exporter.taskStarted(new BrokenTask());
    exporter.taskStarted(StaticTask.make(1));
    expect(exporter.getActiveTasks().size).to.equal(1);
    expect(exporter.getStats().errors).to.equal(1);
  });

  it('takes nothing more after shutdown', async () => {
    const exporter = new MemoryTaskExporter();
    await exporter.forceFlush();
    await exporter.shutdown();
    exporter.taskStarted(StaticTask.make(1));
    exporter.taskEnded(StaticTask.make(2));
    expect(exporter.getStats()).to.deep.equal({ active: 0, completed: 0, dropped: 1, errors: 0 });
  });
});
