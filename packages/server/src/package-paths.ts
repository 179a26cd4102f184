import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// This file sits one level below the package root both as src/*.ts and as dist/*.js.
const packageRoot = new URL('../', import.meta.url);

export const serverVersion: string = (
  JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8')) as { version: string }
).version;

/** The web UI's static files: the built app, or the placeholder page when it is not built. */
export const webRoot: string = existsSync(
  fileURLToPath(new URL('../web/dist/index.html', packageRoot)),
)
  ? fileURLToPath(new URL('../web/dist/', packageRoot))
  : fileURLToPath(new URL('../web/public/', packageRoot));
