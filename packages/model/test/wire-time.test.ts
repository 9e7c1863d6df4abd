import { expect } from 'chai';
import { formatWireTime, parseWireTime, TaskDecodeError } from '../src';

describe('parseWireTime', () => {
  const cases: Array<[string, string]> = [
    ['2026-11-23T20:42:11.105692+00:00', '2026-11-23T20:42:11.105Z'],
    ['2026-11-23T20:42:11.105Z', '2026-11-23T20:42:11.105Z'],
    ['2026-11-23T20:42:11+00:00', '2026-11-23T20:42:11.000Z'],
    ['2026-11-23T22:42:11.5+02:00', '2026-11-23T20:42:11.500Z'],
    ['2026-11-23T15:12:11.000-0530', '2026-11-23T20:42:11.000Z'],
    ['2026-11-23T20:42:11.105692', '2026-11-23T20:42:11.105Z'],
  ];
  for (const [input, expected] of cases) {
    it(`reads ${input}`, () => {
      expect(parseWireTime(input, 'started_at').toISOString()).to.equal(expected);
    });
  }

  it('reads both writers\' forms exactly, across the years 0100-9999', () => {
    const first = Date.UTC(100, 0, 1);
    const span = Date.UTC(9999, 11, 31, 23, 59, 59, 999) - first;
    for (let i = 0; i <= 2_000; i++) {
      // Evenly spread, with the millisecond part varying too.
      const time = first + Math.floor((span * i) / 2_000) + (i % 1000);
      const iso = new Date(time).toISOString();
      expect(parseWireTime(iso, 'started_at').getTime(), iso).to.equal(time);
      const isoformat = `${iso.slice(0, -1)}${String(i % 1000).padStart(3, '0')}+00:00`;
      expect(parseWireTime(isoformat, 'started_at').getTime(), isoformat).to.equal(time);
    }
  });

  const malformed = [
    '',
    'Mon, 23 Nov 2026 20:42:11 GMT',
    '2026-13-01T00:00:00Z',
    '2026-11-23',
    '2026-13-23T20:42:11.105000+00:00',
    '2026-11-23T2x:42:11.105Z',
    '2026-11-23T20:42:11.10x000+00:00',
    '2026-11-00T20:42:11.105Z',
  ];
  for (const input of malformed) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      expect(() => parseWireTime(input, 'ended_at')).to.throw(TaskDecodeError, 'ended_at');
    });
  }
});

describe('formatWireTime', () => {
  it('writes what Python isoformat() writes for a UTC time, for every millisecond pattern', () => {
    const base = Date.parse('2026-11-23T20:42:11.000Z');
    for (const offset of [0, 7, 42, 999, 1000, 1007, 59_999, 86_400_001, -1, -1001]) {
      const date = new Date(base + offset);
      expect(formatWireTime(date)).to.equal(`${date.toISOString().slice(0, -1)}000+00:00`);
      expect(parseWireTime(formatWireTime(date), 'ended_at').getTime()).to.equal(date.getTime());
    }
  });

  it('handles dates before 1970 and years past 9999', () => {
    expect(formatWireTime(new Date(-1))).to.equal('1969-12-31T23:59:59.999000+00:00');
    expect(formatWireTime(new Date(Date.UTC(10_000, 0, 1)))).to.equal('+010000-01-01T00:00:00.000000+00:00');
  });
});
