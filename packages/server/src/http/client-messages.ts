import { StreamCloseCode } from '@berth/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { z } from 'zod';
import { errorMessage } from '../core/errors.js';

/** A close reason may hold at most 123 bytes (RFC 6455 5.5.1); ws throws past that. */
const MAX_REASON_BYTES = 123;

export function closeReason(text: string): string {
  if (Buffer.byteLength(text) <= MAX_REASON_BYTES) return text;
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch + '…') > MAX_REASON_BYTES) break;
    out += ch;
  }
  return `${out}…`;
}

/** A frame's bytes, however ws handed them over. */
export function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.map(String).join('.');
      return field ? `${field}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

export interface ClientMessagePolicy<T> {
  /** The contract schema every text frame must match (JSON). */
  schema: z.ZodType<T>;
  /** Text frames larger than this close the socket with 1009. */
  maxTextBytes: number;
  onMessage: (message: T) => void;
  /** Binary frames go here; without it a binary frame closes the socket with 1008. */
  onBinary?: (data: Buffer) => void;
}

/**
 * Reads what a client sends on a WebSocket, validating each frame against the contract. A frame
 * that is not accepted closes only this socket, with a close code and a reason naming the
 * problem; a handler that throws closes it with 1011. Nothing a client sends can reach the
 * process as an uncaught exception.
 */
export function acceptClientMessages<T>(
  socket: WebSocket,
  log: FastifyBaseLogger,
  policy: ClientMessagePolicy<T>,
): void {
  const refuse = (code: number, reason: string): void => {
    log.warn({ closeCode: code, reason }, 'WebSocket frame refused; closing that socket');
    socket.close(code, closeReason(reason));
  };
  socket.on('message', (data: RawData, isBinary: boolean) => {
    try {
      const bytes = toBuffer(data);
      if (isBinary) {
        if (policy.onBinary) policy.onBinary(bytes);
        else refuse(StreamCloseCode.policyViolation, 'binary frames are not accepted here');
        return;
      }
      if (bytes.length > policy.maxTextBytes) {
        refuse(
          StreamCloseCode.tooBig,
          `message too big: ${bytes.length} bytes, at most ${policy.maxTextBytes}`,
        );
        return;
      }
      let value: unknown;
      try {
        value = JSON.parse(bytes.toString('utf8'));
      } catch (err) {
        refuse(StreamCloseCode.invalidPayload, `message is not JSON: ${errorMessage(err)}`);
        return;
      }
      const parsed = policy.schema.safeParse(value);
      if (!parsed.success) {
        refuse(StreamCloseCode.policyViolation, `invalid message: ${describeIssues(parsed.error)}`);
        return;
      }
      policy.onMessage(parsed.data);
    } catch (err) {
      log.error({ err: errorMessage(err) }, 'WebSocket message handler failed');
      socket.close(StreamCloseCode.internalError, closeReason('the server failed on this message'));
    }
  });
}
