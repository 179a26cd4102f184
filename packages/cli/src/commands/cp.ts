import { ApiError, api, type ArchiveUploadResult } from '@berth/contract';
import type { Command } from 'commander';
import { basename, dirname, posix, sep } from 'node:path';
import { Readable } from 'node:stream';
import { change, type ChangePlan } from '../core/change.js';
import { sessionOf } from '../core/command.js';
import { CliError, UsageError } from '../core/errors.js';
import { io } from '../core/io.js';
import { bytes } from '../core/output.js';
import type { Session } from '../core/session.js';
import { localItems, localKind, packArchive, unpackAt } from './cp-archive.js';

/** One side of a copy, as `docker cp` writes it, with `volume:NAME:/path` for a volume. */
type Side =
  | { kind: 'local'; path: string }
  | { kind: 'stdio' }
  | { kind: 'container' | 'volume'; name: string; path: string; raw: string };

export function parseSide(arg: string): Side {
  if (arg === '-') return { kind: 'stdio' };
  const remote = (kind: 'container' | 'volume', name: string, path: string): Side => {
    if (name === '') throw new UsageError(`"${arg}": name the ${kind} before the ":"`);
    // As docker: a path in a container is from its root.
    return { kind, name, path: path.startsWith('/') ? path : `/${path}`, raw: arg };
  };
  if (arg.startsWith('volume:')) {
    const rest = arg.slice('volume:'.length);
    const colon = rest.indexOf(':');
    if (colon < 0) throw new UsageError(`"${arg}": write a volume as volume:NAME:/path`);
    return remote('volume', rest.slice(0, colon), rest.slice(colon + 1));
  }
  // As docker: a ":" before any "/" names a container; write ./a:b for a local file "a:b".
  const colon = arg.indexOf(':');
  const slash = arg.indexOf('/');
  if (colon > 0 && (slash < 0 || colon < slash))
    return remote('container', arg.slice(0, colon), arg.slice(colon + 1));
  return { kind: 'local', path: arg };
}

/** A container's or a volume's files, through the typed client. */
interface Remote {
  side: Extract<Side, { name: string }>;
  kind(path: string): Promise<'dir' | 'file' | 'missing'>;
  downloadPlan(path: string): ChangePlan['input'];
  download(path: string): Promise<Blob>;
  uploadPlan(path: string): ChangePlan['input'];
  upload(path: string, archive: Buffer): Promise<ArchiveUploadResult>;
  routes: { download: ChangePlan['route']; upload: ChangePlan['route'] };
}

function remoteOf(session: Session, side: Extract<Side, { name: string }>): Remote {
  const { client, host } = session;
  const kindOf = async (list: () => Promise<unknown>): Promise<'dir' | 'file' | 'missing'> => {
    try {
      await list();
      return 'dir';
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not_a_directory') return 'file';
      if (err instanceof ApiError && err.code === 'path_not_found') return 'missing';
      throw err;
    }
  };
  if (side.kind === 'container') {
    const params = { host, id: side.name };
    return {
      side,
      kind: (path) => kindOf(() => client.containerFiles.list({ params, query: { path } })),
      downloadPlan: (path) => ({ params, query: { path, format: 'tar' } }),
      download: (path) =>
        client.containerFiles.download({ params, query: { path, format: 'tar' } }),
      uploadPlan: (path) => ({ params, query: { path } }),
      upload: (path, archive) =>
        client.containerFiles.uploadArchive({ params, query: { path }, body: archive }),
      routes: { download: api.containerFiles.download, upload: api.containerFiles.uploadArchive },
    };
  }
  const params = { host, name: side.name };
  return {
    side,
    kind: (path) => kindOf(() => client.volumes.files({ params, query: { path } })),
    downloadPlan: (path) => ({ params, query: { path, format: 'tar' } }),
    download: (path) => client.volumes.downloadFile({ params, query: { path, format: 'tar' } }),
    uploadPlan: (path) => ({ params, query: { path } }),
    upload: (path, archive) =>
      client.volumes.uploadArchive({ params, query: { path }, body: archive }),
    routes: { download: api.volumes.downloadFile, upload: api.volumes.uploadArchive },
  };
}

/** `src/.`: a folder's contents, not the folder itself. */
const contentsOnly = (path: string): boolean => /(^|[/\\])\.$/.test(path);
const endsWithSeparator = (path: string): boolean => path.endsWith('/') || path.endsWith(sep);

interface CpOptions {
  followLink?: boolean;
}

/** Container or volume to local disk (or to stdout, as the tar the server sends). */
async function copyOut(session: Session, from: Remote, to: Side, docker: string[]): Promise<void> {
  const path = from.side.path;
  const plan = { docker, route: from.routes.download, input: from.downloadPlan(path) };
  await change(session, plan, async () => {
    const answer = Buffer.from(await (await from.download(path)).arrayBuffer());
    if (to.kind === 'stdio') {
      process.stdout.write(answer);
      return;
    }
    const archive = Readable.from([answer]);
    if (to.kind !== 'local') throw new UsageError('copying between containers is not supported');
    const dest = to.path;
    const { root, bytes: written } = await unpackAt(archive, async (first) => {
      const isDir = first.header.type === 'directory';
      const kind = await localKind(dest);
      if (!isDir) {
        if (kind === 'dir') return `${dest}${sep}${basename(first.header.name)}`;
        if (kind === 'missing' && endsWithSeparator(dest))
          throw new CliError(`${dest}: no such folder`);
        if ((await localKind(dirname(dest))) !== 'dir')
          throw new CliError(`${dirname(dest)}: no such folder`);
        return dest;
      }
      if (kind === 'file') throw new CliError(`cannot copy a folder onto the file ${dest}`);
      if (kind === 'dir' && !contentsOnly(from.side.raw))
        return `${dest}${sep}${basename(first.header.name.replace(/\/+$/, ''))}`;
      if (kind === 'missing' && (await localKind(dirname(dest))) !== 'dir')
        throw new CliError(`${dirname(dest)}: no such folder`);
      return dest;
    });
    if (root === null) throw new CliError(`${from.side.raw}: the server sent an empty archive`);
    io.err(`Successfully copied ${bytes(written)} to ${dest}`);
  });
}

/** Local disk (or a tar on stdin) into a container or a volume. */
async function copyIn(
  session: Session,
  from: Side,
  to: Remote,
  docker: string[],
  options: CpOptions,
): Promise<void> {
  const dest = to.side.path;
  const kind = await to.kind(dest);
  let folder: string;
  let archive: () => Promise<Buffer>;
  if (from.kind === 'stdio') {
    if (kind !== 'dir') throw new CliError(`${to.side.raw}: the destination must be a folder`);
    folder = dest;
    archive = readAllStdin;
  } else if (from.kind === 'local') {
    const source = from.path;
    const local = await localKind(source);
    if (local === 'missing') throw new CliError(`${source}: no such file or folder`);
    const follow = options.followLink === true;
    if (local === 'dir') {
      if (kind === 'file') throw new CliError(`cannot copy a folder onto the file ${to.side.raw}`);
      const into = kind === 'dir';
      folder = into ? dest : posix.dirname(dest);
      const root = !into ? posix.basename(dest) : contentsOnly(source) ? '' : basename(source);
      archive = () => packArchive(localItems(source, root, follow));
    } else {
      if (kind === 'missing' && dest.endsWith('/'))
        throw new CliError(`${to.side.raw}: no such folder`);
      const into = kind === 'dir';
      folder = into ? dest : posix.dirname(dest);
      const root = into ? basename(source) : posix.basename(dest);
      archive = () => packArchive(localItems(source, root, follow));
    }
  } else {
    throw new UsageError('copying between containers is not supported');
  }
  const plan = { docker, route: to.routes.upload, input: to.uploadPlan(folder) };
  await change(session, plan, async () => {
    const body = await archive();
    await to.upload(folder, body);
    io.err(`Successfully copied ${bytes(body.length)} to ${to.side.raw}`);
  });
}

async function readAllStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function registerCp(program: Command): void {
  program
    .command('cp')
    .description(
      'Copy files between a container (NAME:/path) or a volume (volume:NAME:/path) and the local disk, or a tar on stdin/stdout (-)',
    )
    .argument('<src>', 'NAME:/path, volume:NAME:/path, a local path, or - (a tar on stdin)')
    .argument('<dst>', 'NAME:/path, volume:NAME:/path, a local path, or - (a tar to stdout)')
    .option('-L, --follow-link', 'Copy what a local source link points at, not the link')
    .addHelpText(
      'after',
      "\nAs docker cp: SRC/. copies a folder's contents; a folder copied onto an existing one goes inside it.",
    )
    .action(async (src: string, dst: string, options: CpOptions, command: Command) => {
      const from = parseSide(src);
      const to = parseSide(dst);
      const remoteFrom = from.kind === 'container' || from.kind === 'volume';
      const remoteTo = to.kind === 'container' || to.kind === 'volume';
      if (remoteFrom && remoteTo)
        throw new UsageError('copying between containers or volumes is not supported');
      if (!remoteFrom && !remoteTo)
        throw new UsageError('one of SRC and DST must be NAME:/path or volume:NAME:/path');
      const session = sessionOf(command);
      const docker = ['docker', 'cp', ...(options.followLink ? ['--follow-link'] : []), src, dst];
      if (remoteFrom) await copyOut(session, remoteOf(session, from), to, docker);
      else if (remoteTo) await copyIn(session, from, remoteOf(session, to), docker, options);
    });
}
