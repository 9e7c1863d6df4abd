import { expect } from 'chai';
import pc from 'picocolors';
import { TaskFormatter } from '../src/task-formatter.js';
import { TerminalPalette } from '../src/terminal-palette.js';
import { NOW, request } from './task-fixture.js';

const format = new TaskFormatter({ slowMillis: 500, verySlowMillis: 2_000, stalledMillis: 30_000 });

describe('TaskFormatter', () => {
  it('writes milliseconds as people read them, and unknown as -', () => {
    expect([0, 12, 999, 1_200, 41_300, 185_000, -5].map((value) => format.millis(value))).to.deep.equal(['0ms', '12ms', '999ms', '1.2s', '41.3s', '3m 5s', '0ms']);
    expect(format.millis(undefined)).to.equal('-');
  });

  it('tones durations by the thresholds, and marks an active request past the stall threshold', () => {
    const duration = (startedAgo: number, endedAgo?: number) =>
      format.duration(request({ id: 'd', pid: 1, path: '/', startedAgo, endedAgo, status: endedAgo === undefined ? undefined : 200 }), NOW);
    expect(duration(499, 0)).to.deep.equal({ text: '499ms', tone: 'good' });
    expect(duration(500, 0)).to.deep.equal({ text: '500ms', tone: 'warning' });
    expect(duration(2_000, 0)).to.deep.equal({ text: '2s', tone: 'bad' });
    expect(duration(40_000, 0)).to.deep.equal({ text: '40s', tone: 'bad' });
    expect(duration(30_000)).to.deep.equal({ text: '30s STALLED', tone: 'critical' });
    expect(duration(29_999)).to.deep.equal({ text: '29.9s', tone: 'bad' });
  });

  it('says running for ago while a request runs, and how long ago it ended once it has', () => {
    expect(format.ago(request({ id: 'r', pid: 1, path: '/', startedAgo: 10 }), NOW)).to.deep.equal({ text: 'running', tone: 'info' });
    expect(format.ago(request({ id: 'e', pid: 1, path: '/', startedAgo: 3_000, endedAgo: 1_500, status: 200 }), NOW)).to.deep.equal({ text: '1.5s' });
  });

  it('tones statuses by class; a completed request without one was abandoned, or lost when its process died', () => {
    const status = (code: number | undefined, ended = true, recorded = true) =>
      format.status(request({ id: 's', pid: 1, path: '/', startedAgo: 10, endedAgo: ended ? 0 : undefined, status: code, recorded }));
    expect([200, 204, 301, 404, 499, 500, 503].map((code) => status(code))).to.deep.equal([
      { text: '200', tone: 'good' },
      { text: '204', tone: 'good' },
      { text: '301', tone: 'info' },
      { text: '404', tone: 'warning' },
      { text: '499', tone: 'warning' },
      { text: '500', tone: 'critical' },
      { text: '503', tone: 'critical' },
    ]);
    expect(status(undefined, false)).to.deep.equal({ text: '-' });
    expect(status(undefined, true, true)).to.deep.equal({ text: 'abort', tone: 'bad' });
    expect(status(undefined, true, false)).to.deep.equal({ text: 'lost', tone: 'bad' });
  });
});

describe('TerminalPalette', () => {
  it('colours each tone, and leaves untoned text alone', () => {
    const palette = new TerminalPalette(pc.createColors(true));
    expect(palette.paint({ text: '200', tone: 'good' })).to.equal('\u001b[32m200\u001b[39m');
    expect(palette.paint({ text: 'running', tone: 'info' })).to.equal('\u001b[36mrunning\u001b[39m');
    expect(palette.paint({ text: '404', tone: 'warning' })).to.equal('\u001b[33m404\u001b[39m');
    expect(palette.paint({ text: 'lost', tone: 'bad' })).to.equal('\u001b[31mlost\u001b[39m');
    expect(palette.paint({ text: '500', tone: 'critical' })).to.equal('\u001b[1m\u001b[31m500\u001b[39m\u001b[22m');
    expect(palette.paint({ text: '/api' })).to.equal('/api');
  });

  it('writes plain text without colours (NO_COLOR)', () => {
    const palette = new TerminalPalette(pc.createColors(false));
    expect(palette.paint({ text: '41s STALLED', tone: 'critical' })).to.equal('41s STALLED');
  });
});
