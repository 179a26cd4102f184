#!/usr/bin/env node
import { run } from './cli.js';

process.exitCode = run(
  process.argv.slice(2),
  (line) => process.stdout.write(`${line}\n`),
  (line) => process.stderr.write(`${line}\n`),
);
