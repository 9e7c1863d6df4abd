#!/usr/bin/env node
// Ink, behind the live view, draws only its final frame when it believes it runs in CI (is-in-ci reads
// these when loaded). A terminal is interactive whatever the environment says, so hide them first.
if (process.stdout.isTTY) {
  for (const name of Object.keys(process.env)) {
    if (name === 'CI' || name === 'CONTINUOUS_INTEGRATION' || name.startsWith('CI_')) delete process.env[name];
  }
}
// React runs its development build, several times slower, unless told otherwise; otel-top is no React app under development.
process.env.NODE_ENV ??= 'production';
const { CliProgram } = await import('./cli-program.js');

const code = await new CliProgram().run(process.argv);
// Exit once the output is flushed, without waiting for timers a Redis client may
// still hold (a command timeout on a server that never answered).
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
