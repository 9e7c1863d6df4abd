#!/usr/bin/env node
import { CliProgram } from './cli-program.js';

const code = await new CliProgram().run(process.argv);
// Exit once the output is flushed, without waiting for timers a Redis client may
// still hold (a command timeout on a server that never answered).
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
