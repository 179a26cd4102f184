// `npm start`: install dependencies if missing, build, then run the server in this process.
import './lib/require-node.mjs';
import { fileURLToPath } from 'node:url';
import { build, ensureDependencies } from './lib/ensure-deps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
await ensureDependencies(root);
await build(root);
process.chdir(root);
await import('../packages/server/dist/main.js');
