import { z } from 'zod';

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');
// Unix seconds up to the year 9999 (what a date can hold), or an ISO 8601 date-time.
const UnixSeconds = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,9})?$/)
  .refine((v) => Number(v) <= 253_402_300_799, 'is after the year 9999');
export const LogTime = z
  .union([UnixSeconds, z.iso.datetime({ offset: true, local: true })], {
    error: 'unix seconds (up to the year 9999) or an ISO 8601 date-time',
  })
  .describe('Unix seconds or ISO 8601');

export const LogsQuery = z.strictObject({
  tail: z
    .union([z.literal('all'), z.coerce.number().int().min(0).max(100_000)])
    .default(200)
    .describe('Lines from the end, or "all"'),
  since: LogTime.optional(),
  until: LogTime.optional(),
  timestamps: Bool.default(false),
  stdout: Bool.default(true),
  stderr: Bool.default(true),
  filter: z.string().max(500).optional().describe('Only lines containing this text'),
});
export type LogsQuery = z.infer<typeof LogsQuery>;

export const LogLineView = z.object({
  stream: z.enum(['stdout', 'stderr']),
  text: z.string(),
  timestamp: z.string().nullable(),
});
export type LogLineView = z.infer<typeof LogLineView>;

export const LogsPage = z
  .object({ lines: z.array(LogLineView), cli: z.string() })
  .meta({ id: 'LogsPage' });

export const FilePathQuery = z.strictObject({
  path: z.string().min(1).max(4096).describe('Absolute path inside the container'),
});

export const FileDownloadQuery = FilePathQuery.extend({
  format: z
    .enum(['raw', 'tar'])
    .optional()
    .describe('raw (a file as itself) or tar; folders are always tar'),
});

export const FileEntry = z.object({
  name: z.string(),
  path: z.string(),
  type: z.enum(['file', 'directory', 'symlink', 'hardlink', 'other']),
  size: z.number().int(),
  mode: z.string().describe('Octal permissions, e.g. "0644"'),
  mtime: z.iso.datetime(),
  linkTarget: z.string().nullable(),
});
export type FileEntry = z.infer<typeof FileEntry>;

export const DirectoryListing = z
  .object({
    path: z.string(),
    entries: z.array(FileEntry),
    truncated: z.boolean().describe('The folder had more entries than one listing returns'),
  })
  .meta({ id: 'DirectoryListing' });
export type DirectoryListing = z.infer<typeof DirectoryListing>;

export const UploadResult = z.object({ path: z.string(), size: z.number().int(), cli: z.string() });

/** Where an archive is unpacked: an existing folder, as `docker cp - container:folder`. */
export const ArchiveUploadQuery = z.strictObject({
  path: z
    .string()
    .min(1)
    .max(4096)
    .describe('Absolute path of the folder to unpack into (it must exist)'),
});

export const ArchiveUploadResult = z
  .object({
    path: z.string(),
    entries: z.number().int().describe('Entries in the archive'),
    size: z.number().int().describe('Bytes of the archive'),
    cli: z.string(),
  })
  .meta({ id: 'ArchiveUploadResult' });
export type ArchiveUploadResult = z.infer<typeof ArchiveUploadResult>;

/** The largest archive an upload takes (the request body). */
export const ARCHIVE_UPLOAD_MAX_BYTES = 64 * 1024 * 1024;
