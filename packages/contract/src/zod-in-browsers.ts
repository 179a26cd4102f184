import { z } from 'zod';

/*
 * Zod compiles a fast parser per object schema with `new Function`, after probing whether it
 * may. In the web app the Content-Security-Policy (`script-src 'self'`, no 'unsafe-eval')
 * refuses both, each refusal a `securitypolicyviolation`. In a browser the schemas are
 * interpreted instead (as correct, and fast enough for the answers a page checks); the server
 * keeps the compiled ones. Imported first by index.ts: zod reads this when a schema is made.
 */
if ('document' in globalThis) z.config({ jitless: true });
