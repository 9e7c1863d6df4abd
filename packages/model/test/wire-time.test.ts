import { expect } from 'chai';
import { parseWireTime, TaskDecodeError } from '../src';

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

  for (const input of ['', 'Mon, 23 Nov 2026 20:42:11 GMT', '2026-13-01T00:00:00Z', '2026-11-23']) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      expect(() => parseWireTime(input, 'ended_at')).to.throw(TaskDecodeError, 'ended_at');
    });
  }
});
