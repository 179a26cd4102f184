import type { FastifyReply } from 'fastify';

/** A Content-Disposition that saves the answer as a file; the name keeps only safe characters. */
export function attachment(filename: string): string {
  return `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"`;
}

export interface DownloadFile {
  body: unknown;
  contentType: string;
  filename: string;
  /** Known in advance for a file read whole; absent for a stream. */
  size?: number;
}

/** Answers a download: its type, its file name and, when known, its length. */
export function sendDownload(reply: FastifyReply, file: DownloadFile): FastifyReply {
  if (file.size !== undefined) reply.header('content-length', file.size);
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', attachment(file.filename))
    .send(file.body);
}
