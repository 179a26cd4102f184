// Debian's Chromium for the browser tests (never a browser download of a test tool's own).
import { capture, run, which } from './run.mjs';

export const CHROMIUM = '/usr/bin/chromium';

export async function ensureBrowser() {
  if (await which('chromium')) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && (await which('apt-get'))) {
    console.log('berth: installing chromium for the browser tests (apt-get)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await capture('apt-get', ['update', '-qq'], { env }).catch(() => undefined);
    await run('apt-get', ['install', '-y', '-qq', 'chromium'], { env });
    return;
  }
  throw new Error(
    'the browser tests need Chromium: install it (Debian/Ubuntu: sudo apt-get install chromium)',
  );
}
