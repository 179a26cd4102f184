// The agent's container image made on this machine, for tests and for machines that cannot
// pull a node image: an import (the Engine API's POST /images/create?fromSrc=-, what
// `docker import` sends) of a root filesystem holding this machine's Node binary, the shared
// libraries it loads, and the CLI bundle. It behaves as packages/cli/Dockerfile's image does:
// ENTRYPOINT node /berth.mjs agent, the state in a volume at /var/lib/berth-agent, the engine
// at unix:///var/run/docker.sock (the agent's default), run as root.
//
//   node scripts/lib/agent-image.mjs [name:tag]    (DOCKER_HOST=unix:///… or /var/run/docker.sock)
import { createReadStream, existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import tar from 'tar-stream';
import { cliBundlePath } from './bundle-cli.mjs';
import { engineRequest } from './engine-request.mjs';
import { elfInterpreter, isStaticBusybox } from './isolated-engine.mjs';
import { capture } from './run.mjs';

export const AGENT_IMAGE = 'berth-agent';
export const AGENT_STATE_DIR = '/var/lib/berth-agent';
const NODE_IN_IMAGE = '/usr/local/bin/node';
const BUNDLE_IN_IMAGE = '/berth.mjs';

/**
 * The shared libraries `ldd` lists for a binary, the dynamic loader among them, as absolute
 * paths; none for a static binary. The vDSO (no file) is left out.
 */
export async function sharedLibraries(binary) {
  let listing;
  try {
    listing = await capture('ldd', [binary]);
  } catch (err) {
    if (/not a dynamic executable|statically linked/.test(String(err.message))) return [];
    throw err;
  }
  const paths = new Set();
  for (const line of listing.split('\n')) {
    if (line.includes('not found'))
      throw new Error(`${binary} needs a library this machine lacks: ${line.trim()}`);
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)"
    const path = /(?:^|=>\s*)(\/\S+)/.exec(line.trim())?.[1];
    if (path) paths.add(path);
  }
  return [...paths];
}

/** Every folder above the given paths, parents first, without the root. */
function parentFolders(paths) {
  const folders = new Set();
  for (const path of paths)
    for (let dir = posix.dirname(path); dir !== '/'; dir = posix.dirname(dir)) folders.add(dir);
  return [...folders].sort();
}

function tarName(path) {
  return path.replace(/^\/+/, '');
}

/** Streams one file of this machine into the archive (a symlink as the file it points to). */
async function addFile(pack, inImage, source, mode) {
  const real = await realpath(source);
  const { size } = await stat(real);
  await new Promise((resolve, reject) => {
    const entry = pack.entry({ name: tarName(inImage), size, mode, type: 'file' }, (err) =>
      err ? reject(err) : resolve(),
    );
    const read = createReadStream(real);
    read.on('error', reject);
    read.pipe(entry);
  });
}

/**
 * A root filesystem: `files` copied from this machine ({ path, source, mode }), `texts`
 * ({ path, text }), `links` ({ path, target }), and `folders` with a mode other than 0755.
 * Every folder above them is made.
 */
async function writeRootfs(pack, { files = [], texts = [], links = [], folders = {} }) {
  const paths = [...files, ...texts, ...links].map((entry) => entry.path);
  for (const dir of parentFolders([...paths, ...Object.keys(folders).map((f) => `${f}/.`)]))
    pack.entry({ name: `${tarName(dir)}/`, type: 'directory', mode: folders[dir] ?? 0o755 });
  for (const { path, text } of texts) pack.entry({ name: tarName(path), mode: 0o644 }, text);
  for (const { path, target } of links)
    pack.entry({ name: tarName(path), type: 'symlink', linkname: target });
  for (const { path, source, mode } of files) await addFile(pack, path, source, mode);
  pack.finalize();
}

function splitReference(reference) {
  const colon = reference.lastIndexOf(':');
  if (colon <= reference.lastIndexOf('/')) return { repo: reference, tag: 'latest' };
  return { repo: reference.slice(0, colon), tag: reference.slice(colon + 1) };
}

/** Imports a root filesystem as the image `tag` with Dockerfile-like `changes`: its ID. */
async function importRootfs(socketPath, tag, rootfs, changes) {
  const { repo, tag: version } = splitReference(tag);
  const query = new URLSearchParams({ fromSrc: '-', repo, tag: version });
  for (const change of changes) query.append('changes', change);
  const pack = tar.pack();
  const imported = engineRequest(socketPath, 'POST', `/images/create?${query}`, pack);
  // Written while the engine reads it: the archive is as big as Node (about 100 MB). A read
  // error ends the request; an answer before the whole archive was sent (a refusal) ends the
  // writing.
  const written = writeRootfs(pack, rootfs);
  written.catch((err) => pack.destroy(err));
  let answer;
  try {
    answer = await Promise.race([written.then(() => imported), imported]);
  } finally {
    pack.destroy();
  }
  if (answer.status !== 200 || answer.text.includes('"error"'))
    throw new Error(`importing ${tag} failed (${answer.status}): ${answer.text}`);
  const inspect = await engineRequest(socketPath, 'GET', `/images/${tag}/json`);
  if (inspect.status !== 200)
    throw new Error(`${tag} is not there after the import: ${inspect.text}`);
  return JSON.parse(inspect.text).Id;
}

/**
 * Runs `node --version` in the image (no network, removed after): null when Node answers, else
 * what went wrong. An image whose Node cannot start would only show as a container restarting.
 */
export async function nodeStartsIn(socketPath, tag) {
  const created = await engineRequest(socketPath, 'POST', '/containers/create', {
    Image: tag,
    Entrypoint: [NODE_IN_IMAGE],
    Cmd: ['--version'],
    HostConfig: { NetworkMode: 'none' },
  });
  if (created.status !== 201) return `creating a container: ${created.status} ${created.text}`;
  const { Id: id } = JSON.parse(created.text);
  try {
    const started = await engineRequest(socketPath, 'POST', `/containers/${id}/start`);
    if (started.status !== 204)
      return `starting ${NODE_IN_IMAGE}: ${started.status} ${started.text}`;
    const waited = await engineRequest(socketPath, 'POST', `/containers/${id}/wait`);
    const code = JSON.parse(waited.text).StatusCode;
    if (code === 0) return null;
    const logs = await engineRequest(socketPath, 'GET', `/containers/${id}/logs?stdout=1&stderr=1`);
    // The multiplexed stream's 8-byte frame headers dropped as unprintable: only a message.
    const printable = [...logs.text].filter((c) => c >= ' ' || c === '\n').join('');
    return `${NODE_IN_IMAGE} --version exited ${code}: ${printable.trim()}`;
  } finally {
    await engineRequest(socketPath, 'DELETE', `/containers/${id}?force=1`);
  }
}

/**
 * Imports the root filesystem and checks that Node starts in the image; an import that does not
 * pass is made once more (it is the same archive: a second failure is this machine's, and its
 * message names the files put in).
 */
async function importNodeImage(socketPath, tag, makeRootfs, changes) {
  let failure = '';
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    const rootfs = await makeRootfs();
    const id = await importRootfs(socketPath, tag, rootfs, changes);
    failure = await nodeStartsIn(socketPath, tag);
    if (!failure) return id;
    const files = rootfs.files.map((f) => `${f.path} (from ${f.source})`).join(', ');
    failure = `${tag}: Node does not start in the imported image (attempt ${attempt}): ${failure}; files put in: ${files}`;
    console.error(`berth: ${failure}`);
  }
  throw new Error(failure);
}

/** Node at /usr/local/bin/node and its libraries where ldd found them (the loader too). */
async function nodeFiles(node) {
  const libraries = await sharedLibraries(node);
  // The loader the kernel starts Node with, by the path Node names (ldd lists it too, but
  // under the name it resolved: the image needs this one).
  const loader = elfInterpreter(await realpath(node));
  if (loader && loader !== 'unknown' && !libraries.includes(loader)) libraries.push(loader);
  return [
    { path: NODE_IN_IMAGE, source: node, mode: 0o755 },
    ...libraries.map((library) => ({ path: library, source: library, mode: 0o755 })),
  ];
}

/**
 * Imports the agent image into the engine at `socketPath` and returns its image ID: Node, its
 * libraries, /berth.mjs, /tmp, a root user and the state folder (0700: the agent's private key
 * is kept there). `node` is the Node binary put in (this one by default), `bundle` the CLI.
 */
export async function buildAgentImage(
  socketPath,
  { tag = AGENT_IMAGE, node = process.execPath, bundle = cliBundlePath() } = {},
) {
  if (!existsSync(bundle))
    throw new Error(`${bundle} is missing: build the CLI first (npm run build -w packages/cli)`);
  const rootfs = async () => ({
    files: [...(await nodeFiles(node)), { path: BUNDLE_IN_IMAGE, source: bundle, mode: 0o644 }],
    texts: [
      { path: '/etc/passwd', text: 'root:x:0:0:root:/root:/sbin/nologin\n' },
      { path: '/etc/group', text: 'root:x:0:\n' },
    ],
    folders: { '/tmp': 0o1777, [AGENT_STATE_DIR]: 0o700 },
  });
  return importNodeImage(socketPath, tag, rootfs, [
    `ENTRYPOINT ${JSON.stringify([NODE_IN_IMAGE, BUNDLE_IN_IMAGE, 'agent'])}`,
    // Also for a run as another user (--user with --group-add): the state stays in the volume.
    `ENV BERTH_AGENT_STATE=${AGENT_STATE_DIR}`,
    `VOLUME ${JSON.stringify([AGENT_STATE_DIR])}`,
  ]);
}

/**
 * A stand-in for the node:20-alpine packages/cli/Dockerfile starts FROM, so that Dockerfile
 * can be built where no registry is reachable (`--build-arg NODE_IMAGE=<tag>`): node on PATH,
 * a static busybox as the shell and tools of RUN, root and a `node` user (1000).
 */
export async function buildNodeBaseImage(socketPath, { tag, node = process.execPath }) {
  const busybox = await isStaticBusybox();
  if (!busybox)
    throw new Error(
      'a static busybox is needed for the base image (apt-get install busybox-static)',
    );
  const applets = (await capture(busybox, ['--list']))
    .split('\n')
    .filter((a) => a && a !== 'busybox');
  const rootfs = async () => ({
    files: [...(await nodeFiles(node)), { path: '/bin/busybox', source: busybox, mode: 0o755 }],
    links: applets.map((applet) => ({ path: `/bin/${applet}`, target: 'busybox' })),
    texts: [
      {
        path: '/etc/passwd',
        text: 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n',
      },
      { path: '/etc/group', text: 'root:x:0:\nnode:x:1000:\n' },
    ],
    folders: { '/tmp': 0o1777, '/root': 0o700 },
  });
  return importNodeImage(socketPath, tag, rootfs, [
    'ENV PATH=/usr/local/bin:/usr/bin:/bin',
    'CMD ["node"]',
  ]);
}

function socketOf(dockerHost = 'unix:///var/run/docker.sock') {
  if (!dockerHost.startsWith('unix://'))
    throw new Error(`DOCKER_HOST=${dockerHost}: this script imports over a unix socket only`);
  return dockerHost.slice('unix://'.length);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const tag = process.argv[2] ?? AGENT_IMAGE;
  const id = await buildAgentImage(socketOf(process.env.DOCKER_HOST), { tag });
  process.stdout.write(`${tag} ${id}\n`);
}
