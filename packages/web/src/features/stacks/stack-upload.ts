import { StackName } from '@berth/contract';
import { createTar, parseTar } from 'nanotar';

/** The compose file names the server looks for at the top of a stack folder. */
const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

/**
 * What an upload will create: the files as text by path (to list and to validate), and the
 * body the import route takes: one compose file as YAML, or a tar of the folder.
 */
export interface StackUpload {
  kind: 'compose' | 'folder' | 'archive';
  /** What the user picked, as they know it: the file's or the folder's name. */
  source: string;
  files: Record<string, string>;
  /** For an archive or a folder, the tar sent to `import`; for a compose file, its text. */
  body: Uint8Array | string;
  /** A stack name taken from the folder or archive name, when it is a valid one. */
  suggestedName: string | null;
}

const text = new TextDecoder('utf-8');

const hasComposeFile = (paths: string[]): boolean => paths.some((p) => COMPOSE_FILES.includes(p));

/** As the server does: a single top folder holding every file is the stack folder itself. */
function withoutTopFolder(files: Record<string, string>): Record<string, string> {
  const paths = Object.keys(files);
  if (hasComposeFile(paths)) return files;
  const tops = new Set(paths.map((p) => p.split('/')[0]));
  const [top] = tops;
  if (tops.size !== 1 || top === undefined || paths.some((p) => !p.startsWith(`${top}/`)))
    return files;
  return Object.fromEntries(
    Object.entries(files).map(([path, content]) => [path.slice(top.length + 1), content]),
  );
}

/** `My App.tar.gz` → `my-app`, when that is a stack name. */
function nameFrom(source: string): string | null {
  const base = source
    .replace(/\.(tar\.gz|tgz|tar|ya?ml)$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  if (/^(docker-)?compose$/.test(base)) return null;
  return StackName.safeParse(base).success ? base : null;
}

async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const isGzip = (bytes: Uint8Array): boolean => bytes[0] === 0x1f && bytes[1] === 0x8b;

/** One compose file: it becomes the stack's compose.yaml. */
export async function readComposeFile(file: File): Promise<StackUpload> {
  const yaml = await file.text();
  return {
    kind: 'compose',
    source: file.name,
    files: { 'compose.yaml': yaml },
    body: yaml,
    suggestedName: null,
  };
}

/**
 * A `.tar` or `.tar.gz` (unpacked here, since the server takes a plain tar): its files are
 * listed for the preview; the archive itself goes to the server, which checks every entry.
 */
export async function readArchive(file: File): Promise<StackUpload> {
  let bytes: Uint8Array = new Uint8Array(await file.arrayBuffer());
  if (isGzip(bytes)) bytes = await gunzip(bytes);
  const files: Record<string, string> = {};
  for (const entry of parseTar(bytes)) {
    if (entry.type !== 'file' || !entry.data) continue;
    const path = entry.name.replace(/^(\.\/)+/, '');
    files[path] = text.decode(entry.data);
  }
  return {
    kind: 'archive',
    source: file.name,
    files: withoutTopFolder(files),
    body: bytes,
    suggestedName: nameFrom(file.name),
  };
}

/** The files of a picked folder (`webkitdirectory`), relative to it, sent as a tar. */
export async function readFolder(picked: File[]): Promise<StackUpload> {
  const top = picked[0]?.webkitRelativePath.split('/')[0] ?? '';
  const entries = await Promise.all(
    picked.map(async (file) => ({
      path: file.webkitRelativePath.split('/').slice(1).join('/') || file.name,
      data: new Uint8Array(await file.arrayBuffer()),
    })),
  );
  entries.sort((a, b) => a.path.localeCompare(b.path));
  const files = Object.fromEntries(entries.map((e) => [e.path, text.decode(e.data)]));
  const tar = createTar(
    entries.map((e) => ({ name: e.path, data: e.data, attrs: { mode: '644', uid: 0, gid: 0 } })),
  );
  return { kind: 'folder', source: top, files, body: tar, suggestedName: nameFrom(top) };
}
