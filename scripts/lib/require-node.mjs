// Imported first by `npm start` and `npm test`: stops with one line, exit 1, on a Node.js that
// package.json's `engines` does not allow, before anything is installed or built.
import { readFileSync } from 'node:fs';
import { nodeVersionProblem } from './node-version.mjs';

const { engines } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
);
const problem = engines?.node ? nodeVersionProblem(process.versions.node, engines.node) : null;
if (problem) {
  console.error(problem);
  process.exit(1);
}
