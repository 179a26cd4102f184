// Builds the local images tests run (no registry is reachable): a busybox-static rootfs
// imported as berth-test/busybox:1 through the Engine API.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile, copyFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineRequest } from './engine-request.mjs';
import { capture } from './run.mjs';
import { isStaticBusybox } from './isolated-engine.mjs';

export const TEST_IMAGE = 'berth-test/busybox:1';

export async function buildTestImages(socketPath) {
  const existing = await engineRequest(socketPath, 'GET', `/images/${TEST_IMAGE}/json`);
  if (existing.status === 200) return;
  const busybox = await isStaticBusybox();
  if (!busybox)
    throw new Error(
      'a static busybox is needed for the test image (apt-get install busybox-static)',
    );

  const root = await mkdtemp(join(tmpdir(), 'berth-rootfs-'));
  try {
    for (const dir of ['bin', 'etc', 'tmp', 'root', 'var/www'])
      await mkdir(join(root, dir), { recursive: true });
    await chmod(join(root, 'tmp'), 0o1777);
    await copyFile(busybox, join(root, 'bin', 'busybox'));
    await chmod(join(root, 'bin', 'busybox'), 0o755);
    const applets = (await capture(busybox, ['--list']))
      .split('\n')
      .filter((a) => a && a !== 'busybox');
    for (const applet of applets) await symlink('busybox', join(root, 'bin', applet));
    await writeFile(
      join(root, 'etc', 'passwd'),
      'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n',
    );
    await writeFile(join(root, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
    await writeFile(join(root, 'var', 'www', 'index.html'), 'berth test image\n');

    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [repo, tag] = TEST_IMAGE.split(':');
    const changes = encodeURIComponent('CMD ["sh"]');
    const res = await engineRequest(
      socketPath,
      'POST',
      `/images/create?fromSrc=-&repo=${repo}&tag=${tag}&changes=${changes}`,
      tar.stdout,
    );
    if (res.status !== 200 || res.text.includes('"error"'))
      throw new Error(`importing ${TEST_IMAGE} failed: ${res.text}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
