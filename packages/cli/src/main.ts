#!/usr/bin/env node
import { run } from './cli.js';
import { exitQuietlyOnBrokenPipe } from './core/broken-pipe.js';

exitQuietlyOnBrokenPipe();
process.exitCode = await run(process.argv.slice(2));
