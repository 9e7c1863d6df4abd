import { expect } from 'chai';
import { decodeProcessRecord, encodeProcessRecord, processFiguresFromWire, processFiguresToWire, ProcessRecord, ProcessTraffic } from '../src';

const TRAFFIC: ProcessTraffic = { count: 214, errors: 3, rps: 21.4, p50Millis: 48.696752516586315, p95Millis: 95.31618832347877, p99Millis: 95.31618832347877 };

function record(): ProcessRecord {
  return {
    host: 'vm1',
    pid: 4242,
    service: 'shop',
    serviceVersion: '1.2.0',
    nodeVersion: 'v20.20.2',
    startedAt: new Date('2026-12-02T13:53:39.528Z'),
    heartbeatIntervalMillis: 1_000,
    deadAfterMillis: 10_000,
    inFlight: 100,
    traffic: { '10s': TRAFFIC, '1m': { ...TRAFFIC, count: 1_148, rps: 19.133333333333333 }, '5m': { ...TRAFFIC, count: 1_167, rps: 4.010309278350515 } },
    eventLoopDelayP99Millis: 268.882687,
    eventLoopDelayMaxMillis: undefined,
    cpuShare: 0.23031312345,
    rssBytes: 522_678_272,
    heapUsedBytes: 422_245_504,
    heapTotalBytes: 471_310_336,
    tracking: { queued: 278, dropped: 0, failed: 1, trimmed: 33 },
    seen: undefined,
  };
}

describe('process records', () => {
  it('write fractional figures to a microsecond, a thousandth of a request a second, a hundredth of a percent of a core', () => {
    const wire = JSON.parse(encodeProcessRecord(record())) as Record<string, unknown>;
    expect(wire.traffic).to.deep.equal({
      '10s': { count: 214, errors: 3, rps: 21.4, p50_ms: 48.697, p95_ms: 95.316, p99_ms: 95.316 },
      '1m': { count: 1_148, errors: 3, rps: 19.133, p50_ms: 48.697, p95_ms: 95.316, p99_ms: 95.316 },
      '5m': { count: 1_167, errors: 3, rps: 4.01, p50_ms: 48.697, p95_ms: 95.316, p99_ms: 95.316 },
    });
    expect(wire).to.include({ event_loop_delay_p99_ms: 268.883, event_loop_delay_max_ms: null, cpu_share: 0.2303, rss_bytes: 522_678_272 });
  });

  it('read back what they wrote, unmeasured figures staying unknown', () => {
    const read = decodeProcessRecord(encodeProcessRecord(record()));
    expect(read).to.deep.include({ host: 'vm1', pid: 4242, service: 'shop', serviceVersion: '1.2.0', inFlight: 100, eventLoopDelayMaxMillis: undefined, cpuShare: 0.2303 });
    expect(read.startedAt?.toISOString()).to.equal('2026-12-02T13:53:39.528Z');
    expect(read.traffic['5m']).to.deep.equal({ count: 1_167, errors: 3, rps: 4.01, p50Millis: 48.697, p95Millis: 95.316, p99Millis: 95.316 });
    expect(read.tracking).to.deep.equal({ queued: 278, dropped: 0, failed: 1, trimmed: 33 });
  });

  it('read a field of the wrong type as unknown, and refuse what is not an object', () => {
    const read = decodeProcessRecord(JSON.stringify({ host: 7, pid: 'x', cpu_share: '0.5', traffic: { '10s': { count: 'many' } }, started_at: 'yesterday' }));
    expect(read).to.deep.include({ host: '', pid: 0, cpuShare: undefined, startedAt: null, heartbeatIntervalMillis: 1_000 });
    expect(read.traffic['10s'].count).to.equal(0);
    expect(() => decodeProcessRecord('[1, 2]')).to.throw(TypeError, 'a process record must be a JSON object');
  });

  it('as a reader\'s figures, go to JSON and back with their id, age and state', () => {
    const figures = { ...record(), id: 'vm1:4242:a1b2', heartbeatAgeMillis: 3_100, state: 'late' as const };
    const wire = processFiguresToWire(figures);
    expect(wire).to.include({ id: 'vm1:4242:a1b2', active: 100, rps: 21.4, errors: 3, heartbeat_age_ms: 3_100, state: 'late', seen: null });
    const read = processFiguresFromWire(JSON.parse(JSON.stringify(wire)));
    expect(read).to.deep.include({ id: 'vm1:4242:a1b2', heartbeatAgeMillis: 3_100, state: 'late', pid: 4242 });
  });
});
