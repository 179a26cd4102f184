import { setFlagsFromString } from 'node:v8';

/**
 * V8 grows its young generation to 16 MiB semi-spaces under the burst of allocation at start
 * (module loading, the OpenAPI document, the first sync) and keeps that memory until an idle
 * collection shrinks it a minute or more later: about 30 MiB of resident memory a server that
 * allocates little per request does not need. 1 MiB semi-spaces cost more frequent but smaller
 * scavenges. Imported first by main.ts, before anything allocates much; a semi-space size
 * given on the command line or in NODE_OPTIONS wins.
 */
const chosen = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) =>
  arg.includes('semi-space-size'),
);
if (!chosen) setFlagsFromString('--max-semi-space-size=1');
