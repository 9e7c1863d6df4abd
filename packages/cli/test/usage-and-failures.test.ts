import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { RedisTestServer } from '@otel-top/redis-test-server';
import { OTEL_TOP_BIN, runOtelTop } from './otel-top-process.js';
import { TmuxTerminal } from './tmux-terminal.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('otel-top exit codes and messages', function () {
  this.timeout(20_000);

  describe('usage (exit 0 for help, 2 for mistakes)', () => {
    it('--help on the command and each subcommand, --version', async () => {
      const help = await runOtelTop(['--help']);
      expect(help.code).to.equal(0);
      expect(help.stdout).to.include('Usage: otel-top [options] [command]');
      expect(help.stdout).to.match(/live \[options\]/).and.match(/recent \[options\]/).and.match(/routes \[options\]/).and.match(/processes \[options\]/);

      const live = await runOtelTop(['live', '--help']);
      expect(live.code).to.equal(0);
      expect(live.stdout).to.include('--tracker-url <url>').and.include('TOP_TRACKER_URL').and.include('Keys: q quit, Tab view');
      expect(live.stdout).to.include('On Routes: q quit, Tab view, p pause, w window, s sort, ↑↓ select, Enter requests, ? help');
      expect(live.stdout).to.include('--window <window>').and.include('"10s", "1m", "5m"');

      for (const command of ['routes', 'processes']) {
        const figures = await runOtelTop([command, '--help']);
        expect(figures.code, command).to.equal(0);
        expect(figures.stdout, command).to.include('--window <window>').and.include('--json').and.include('--tracker-url <url>').and.include('default: "1m"');
      }

      const recent = await runOtelTop(['recent', '--help']);
      expect(recent.code).to.equal(0);
      expect(recent.stdout).to.include('--mode <mode>').and.include('--json').and.include('--key-prefix <prefix>');

      const versionResult = await runOtelTop(['--version']);
      expect(versionResult).to.deep.equal({ code: 0, stdout: `${version}\n`, stderr: '' });
    });

    const mistakes: Array<{ args: string[]; env?: Record<string, string>; says: string }> = [
      { args: ['recent', '--limit', '0'], says: "option '--limit <n>' argument '0' is invalid" },
      { args: ['recent', '--mode', 'finished'], says: "argument 'finished' is invalid. Allowed choices are all, active, complete" },
      { args: ['recent', '--columns', 'Path,Colour'], says: 'unknown column "Colour"; columns are: Cty, IP, Worker' },
      { args: ['live', '--refresh-rate', '-1'], says: "option '--refresh-rate <seconds>' argument '-1' is invalid" },
      { args: ['recent', '--verbose'], says: "unknown option '--verbose'" },
      { args: ['routes', '--window', '2m'], says: "argument '2m' is invalid. Allowed choices are 10s, 1m, 5m" },
      { args: ['processes', '--window', '1h'], says: "argument '1h' is invalid. Allowed choices are 10s, 1m, 5m" },
      { args: ['status'], says: "too many arguments for 'live'" },
      { args: ['recent', '--tracker-url', 'ftp://127.0.0.1:6379'], says: '--tracker-url is not a tracker URL: expected a redis:// or rediss:// URL' },
      { args: ['recent'], env: { TOP_TRACKER_URL: 'redis://:pw@127.0.0.1:6379/shop' }, says: 'TOP_TRACKER_URL is not a tracker URL' },
    ];
    for (const mistake of mistakes) {
      it(`exits 2 for ${mistake.args.join(' ')}${mistake.env === undefined ? '' : ' with a bad TOP_TRACKER_URL'}`, async () => {
        const { code, stdout, stderr } = await runOtelTop(mistake.args, mistake.env);
        expect(code).to.equal(2);
        expect(stdout).to.equal('');
        expect(stderr).to.include(mistake.says);
        expect(stderr).not.to.include(':pw@');
      });
    }

    it('live with piped output points to recent and exits 2', async () => {
      const { code, stderr } = await runOtelTop(['live', '--tracker-url', 'redis://127.0.0.1:1/0']);
      expect(code).to.equal(2);
      expect(stderr).to.include('otel-top live needs a terminal').and.include('otel-top recent --json');
    });
  });

  describe('an unreachable tracker (exit 1, the URL without its password)', () => {
    let redis: RedisTestServer;
    let port: number;

    before(async () => {
      redis = await RedisTestServer.start();
      port = redis.port;
    });

    after(async () => {
      await redis.stop();
    });

    it('nobody listening: says so at once', async () => {
      await redis.kill();
      const { code, stdout, stderr } = await runOtelTop(['recent', '--tracker-url', `redis://reader:s3cret@127.0.0.1:${port}/0`]);
      expect(code).to.equal(1);
      expect(stdout).to.equal('');
      expect(stderr).to.equal(`otel-top: cannot reach the tracker at redis://reader:***@127.0.0.1:${port}/0: ECONNREFUSED 127.0.0.1:${port}\n`);
      await redis.restart();
    });

    it('a server that accepts but never answers: gives up after --connect-timeout', async () => {
      redis.freeze();
      try {
        const { code, stderr } = await runOtelTop(['recent', '--json', '--connect-timeout', '500'], {
          TOP_TRACKER_URL: `redis://:s3cret@127.0.0.1:${port}/0`,
        });
        expect(code).to.equal(1);
        expect(stderr).to.equal(`otel-top: cannot reach the tracker at redis://:***@127.0.0.1:${port}/0: no answer within 500 ms\n`);
      } finally {
        redis.resume();
      }
    });

    it('live in a terminal: the same message and exit code, the terminal left as it was', async () => {
      const terminal = await TmuxTerminal.start([process.execPath, OTEL_TOP_BIN, 'live', '--tracker-url', 'redis://u:s3cret@127.0.0.1:1/0']);
      try {
        expect(await terminal.waitForExit()).to.equal(1);
        const screen = (await terminal.screen()).join('\n');
        expect(screen).to.include('otel-top: cannot reach the tracker at redis://u:***@127.0.0.1:1/0: ECONNREFUSED');
        expect(screen).not.to.include('s3cret');
      } finally {
        await terminal.close();
      }
    });
  });
});
