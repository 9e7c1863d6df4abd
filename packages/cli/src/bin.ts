#!/usr/bin/env node
import { CliProgram } from './cli-program.js';

// exitCode rather than exit(): piped output is flushed before the process ends.
process.exitCode = await new CliProgram().run(process.argv);
