import { AttachControl, AttachMessage, AttachQuery } from '../container-attach.js';
import {
  ArchiveUploadQuery,
  ArchiveUploadResult,
  DirectoryListing,
  FileDownloadQuery,
  FilePathQuery,
  LogsPage,
  LogsQuery,
  UploadResult,
} from '../container-io.js';
import { ContainerParams } from '../containers.js';
import { HostParams } from '../hosts.js';
import { ErrorBody } from '../errors.js';
import { httpRoute, streamRoute } from '../route.js';
import {
  ContainerStats,
  ExecControl,
  ExecResult,
  ExecRun,
  ExecTerminalQuery,
  LogsMessage,
  LogStreamQuery,
  NoClientMessages,
  StatsManyControl,
  StatsManyMessage,
  StatsMessage,
  TerminalMessage,
} from '../streams.js';

const errors = { 400: ErrorBody, 404: ErrorBody };

/** A container's logs: history, the same as a file, and live. */
export const logsRoutes = {
  get: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/containers/:id/logs',
    tags: ['containers'],
    summary:
      'Log history: tail, since, until, timestamps, stdout/stderr, a text filter; or a file to save',
    description: 'Equivalent: `docker logs`',
    permission: 'host:read',
    params: ContainerParams,
    query: LogsQuery,
    responses: { 200: LogsPage, ...errors },
  }),
  download: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/containers/:id/logs/download',
    tags: ['containers'],
    summary: 'The same selection as /logs, as a text file to save (streamed)',
    permission: 'host:read',
    params: ContainerParams,
    query: LogsQuery,
    download: 'text/plain',
    responses: errors,
  }),
  follow: streamRoute({
    path: '/api/hosts/:host/containers/:id/logs/stream',
    tags: ['streams'],
    summary:
      'WebSocket: history, then live log lines in batches (one shared engine stream per container)',
    description: 'Equivalent: `docker logs --follow`',
    permission: 'host:read',
    params: ContainerParams,
    query: LogStreamQuery,
    client: NoClientMessages,
    server: LogsMessage,
  }),
};

/** A container's resource usage: one reading, or live. */
export const statsRoutes = {
  get: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/containers/:id/stats',
    tags: ['containers'],
    summary: 'One stats reading: CPU %, memory, network, block I/O, PIDs',
    description: 'Equivalent: `docker stats --no-stream`',
    permission: 'host:read',
    params: ContainerParams,
    responses: { 200: ContainerStats, ...errors, 409: ErrorBody },
  }),
  follow: streamRoute({
    path: '/api/hosts/:host/containers/:id/stats/stream',
    tags: ['streams'],
    summary: 'WebSocket: live stats (one shared engine stream per container)',
    description: 'Equivalent: `docker stats`',
    permission: 'host:read',
    params: ContainerParams,
    client: NoClientMessages,
    server: StatsMessage,
  }),
  many: streamRoute({
    path: '/api/hosts/:host/stats/stream',
    tags: ['streams'],
    summary:
      'WebSocket: live stats of several containers on one socket; the client subscribes and unsubscribes ids as they come into view',
    description:
      'Each container has one shared engine stream, whoever follows it (this socket, other viewers, the one-container stream). Equivalent: `docker stats <id>…`',
    permission: 'host:read',
    params: HostParams,
    client: StatsManyControl,
    server: StatsManyMessage,
  }),
};

/** Commands in a container: one run with its output, or an interactive terminal. */
export const execRoutes = {
  run: httpRoute({
    method: 'POST',
    path: '/api/hosts/:host/containers/:id/exec',
    tags: ['containers'],
    summary: 'Run a command; its output and exit code',
    description: 'Equivalent: `docker exec`',
    permission: 'host:write',
    audit: 'container.exec',
    params: ContainerParams,
    body: ExecRun,
    responses: { 200: ExecResult, ...errors, 409: ErrorBody },
  }),
  terminal: streamRoute({
    path: '/api/hosts/:host/containers/:id/exec/terminal',
    tags: ['streams'],
    summary: 'WebSocket: an interactive terminal (binary frames in and out; JSON resize/input)',
    description: 'Equivalent: `docker exec -it <container> bash`',
    permission: 'host:write',
    params: ContainerParams,
    query: ExecTerminalQuery,
    client: ExecControl,
    server: TerminalMessage,
    binary: true,
  }),
};

/** A container's filesystem: browse, download, upload. */
export const containerFilesRoutes = {
  list: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/containers/:id/files',
    tags: ['containers'],
    summary: "List a folder of the container's filesystem",
    permission: 'host:read',
    params: ContainerParams,
    query: FilePathQuery,
    responses: { 200: DirectoryListing, ...errors },
  }),
  download: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/containers/:id/files/download',
    tags: ['containers'],
    summary: 'Download a file (as itself) or a folder (as tar)',
    description: 'Equivalent: `docker cp container:path -`',
    // Files can hold secrets: operators and admins only.
    permission: 'host:write',
    audit: 'container.file_download',
    params: ContainerParams,
    query: FileDownloadQuery,
    download: 'application/octet-stream',
    responses: errors,
  }),
  upload: httpRoute({
    method: 'PUT',
    path: '/api/hosts/:host/containers/:id/files',
    tags: ['containers'],
    summary: 'Write the request body (application/octet-stream) as the file at `path`',
    description: 'Equivalent: `docker cp file container:path`',
    permission: 'host:write',
    audit: 'container.file_upload',
    params: ContainerParams,
    query: FilePathQuery,
    bodyType: 'application/octet-stream',
    responses: { 200: UploadResult, ...errors },
  }),
  uploadArchive: httpRoute({
    method: 'PUT',
    path: '/api/hosts/:host/containers/:id/files/archive',
    tags: ['containers'],
    summary:
      'Unpack the request body (a tar archive, up to 64 MiB) into the folder at `path`, modes and all',
    description:
      'An entry that leads outside the folder (`../x`) is refused (400 archive_outside_root) and nothing is written. Equivalent: `docker cp - container:path`',
    permission: 'host:write',
    audit: 'container.archive_upload',
    params: ContainerParams,
    query: ArchiveUploadQuery,
    bodyType: 'application/x-tar',
    responses: { 200: ArchiveUploadResult, ...errors, 413: ErrorBody },
  }),
};

/** Attaching to a running container's own input and output. */
export const attachRoutes = {
  terminal: streamRoute({
    path: '/api/hosts/:host/containers/:id/attach',
    tags: ['streams'],
    summary:
      "WebSocket: the container's stdin, stdout and stderr (binary frames; JSON resize, input, close-stdin)",
    description:
      'The detach sequence (`detachKeys`) is read by the server, TTY or not: it closes with a `detached` message and leaves the container running. A created (not yet started) container may be attached too, before the client starts it, so none of its output is missed. When the container exits the stream sends its exit code. Equivalent: `docker attach`',
    permission: 'host:write',
    audit: 'container.attach',
    params: ContainerParams,
    query: AttachQuery,
    client: AttachControl,
    server: AttachMessage,
    binary: true,
  }),
};
