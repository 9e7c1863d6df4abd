import { expect } from 'chai';
import { createServer, Server } from 'node:http';
import { HTTPTask, outcomeOfTask, TrackedTask } from '@otel-top/model';
import { MemoryTaskExporter, TrackerRequestHandler } from '@otel-top/memory-exporter';
import { runOtelTop } from './otel-top-process.js';

const API_KEY = 'k'.repeat(24) + '-test-key-for-otel-top';

function trackedTask(path: string, ended: boolean): TrackedTask {
  const task = new HTTPTask({
    taskId: path,
    processId: 4242,
    threadId: 0,
    processInternalId: path.slice(1),
    method: 'GET',
    path,
    startedAt: new Date(Date.now() - 1_500),
    ...(ended ? { endedAt: new Date(), statusCode: 200, recordedSuccessfully: true } : {}),
  });
  return { processorId: task.getProcessorTrackingId(), snapshot: () => task, outcome: () => outcomeOfTask(task) };
}

describe('otel-top on an http(s) tracker endpoint (one process, no Redis)', function () {
  let server: Server;
  let url: string;

  before(async () => {
    const exporter = new MemoryTaskExporter();
    exporter.taskStarted(trackedTask('/running', false));
    const done = trackedTask('/done', true);
    exporter.taskStarted(done);
    exporter.taskEnded(done);
    const handler = new TrackerRequestHandler(exporter, { apiKey: API_KEY });
    server = createServer(handler.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/tracker`;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('reads active and completed tasks with the key from TOP_WEB_API_KEY', async () => {
    const result = await runOtelTop(['recent', '--json', '--tracker-url', url], { TOP_WEB_API_KEY: API_KEY });
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(0);
    const document = JSON.parse(result.stdout) as { active: Array<{ path: string }>; completed: Array<{ path: string; status_code: number }> };
    expect(document.active.map((task) => task.path)).to.deep.equal(['/running']);
    expect(document.completed.map((task) => [task.path, task.status_code])).to.deep.equal([['/done', 200]]);
  });

  it('says clearly that the key was refused, without showing it, and exits 1', async () => {
    const result = await runOtelTop(['recent', '--tracker-url', url], { TOP_WEB_API_KEY: `wrong-${API_KEY}` });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include(url).and.include('403');
    expect(result.stderr).not.to.include(API_KEY);
  });
});
