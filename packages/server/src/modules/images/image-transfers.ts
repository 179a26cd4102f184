import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { TransferResult } from '@berth/contract';
import { AppError, errorMessage } from '../../core/errors.js';
import { dockerCommand } from '../../core/docker-command.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import { ImagesApi } from '../../docker/images-api.js';
import { readNdjson } from '../../docker/ndjson.js';
import { requireHost } from '../hosts/require-host.js';

interface ProgressLine {
  status?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
  progressDetail?: { current?: number; total?: number };
  aux?: { Digest?: string };
}

interface Transfer {
  result: TransferResult;
  abort: AbortController;
  done: Promise<TransferResult>;
}

/** Registry auth for a reference, as the engine's X-Registry-Auth header wants it. */
export type RegistryAuth = (reference: string) => Promise<string | undefined>;

const KEEP_FINISHED = 100;

/**
 * Pulls and pushes with progress (per layer, on the host's progress feed) and cancel. Each
 * transfer has an id; the last hundred finished ones can still be asked about.
 */
export class ImageTransfers {
  private readonly transfers = new Map<string, Transfer>();

  constructor(
    private readonly hosts: EngineHosts,
    private readonly auth: RegistryAuth,
  ) {}

  async start(
    hostId: string,
    kind: 'pull' | 'push',
    image: string,
    wait: boolean,
  ): Promise<TransferResult> {
    const host = requireHost(this.hosts, hostId);
    const transferId = randomUUID();
    const abort = new AbortController();
    const result: TransferResult = {
      transferId,
      image,
      status: 'running',
      error: null,
      digest: null,
      cli: dockerCommand(kind, image),
    };
    const done = this.run(host, kind, image, result, abort.signal);
    this.transfers.set(`${hostId}/${transferId}`, { result, abort, done });
    this.forgetOld();
    return wait ? done : { ...result };
  }

  /** Resolves when the transfer ends (at once for one that has), with how it ended. */
  finished(hostId: string, transferId: string): Promise<TransferResult> {
    const transfer = this.transfers.get(`${hostId}/${transferId}`);
    if (!transfer) throw AppError.notFound('transfer_not_found', `No transfer "${transferId}"`);
    return transfer.done;
  }

  get(hostId: string, transferId: string): TransferResult {
    const transfer = this.transfers.get(`${hostId}/${transferId}`);
    if (!transfer) throw AppError.notFound('transfer_not_found', `No transfer "${transferId}"`);
    return { ...transfer.result };
  }

  async cancel(hostId: string, transferId: string): Promise<TransferResult> {
    const transfer = this.transfers.get(`${hostId}/${transferId}`);
    if (!transfer) throw AppError.notFound('transfer_not_found', `No transfer "${transferId}"`);
    transfer.abort.abort();
    return transfer.done;
  }

  async save(hostId: string, reference: string): Promise<{ body: Readable; cli: string }> {
    const api = new ImagesApi(requireHost(this.hosts, hostId).client);
    if (!(await api.inspect(reference)))
      throw AppError.notFound('image_not_found', `No image "${reference}"`);
    const file = `${reference.replace(/[^\w.-]+/g, '_')}.tar`;
    return {
      body: await api.save(reference),
      cli: dockerCommand('save', '--output', file, reference),
    };
  }

  /** Loads images from a `docker save` tar; returns what the engine reported loading. */
  async load(hostId: string, tar: Readable | Buffer): Promise<{ loaded: string[]; cli: string }> {
    const api = new ImagesApi(requireHost(this.hosts, hostId).client);
    const res = await api.load(tar);
    const loaded: string[] = [];
    for await (const line of readNdjson<{ stream?: string; error?: string }>(res)) {
      if (line.error)
        throw AppError.badRequest(
          'image_load_failed',
          `The engine could not load the archive: ${line.error}`,
        );
      const match = /Loaded image(?: ID)?: (\S+)/.exec(line.stream ?? '');
      if (match?.[1]) loaded.push(match[1]);
    }
    return { loaded, cli: 'docker load --input image.tar' };
  }

  private async run(
    host: EngineHost,
    kind: 'pull' | 'push',
    image: string,
    result: TransferResult,
    signal: AbortSignal,
  ): Promise<TransferResult> {
    const api = new ImagesApi(host.client);
    const emit = (status: string, line?: ProgressLine): void =>
      host.progress.emit({
        operation: kind,
        transferId: result.transferId,
        subject: image,
        status,
        layer: line?.id ?? null,
        current: line?.progressDetail?.current ?? null,
        total: line?.progressDetail?.total ?? null,
      });
    try {
      const auth = await this.auth(image);
      const stream =
        kind === 'pull' ? await api.pull(image, auth, signal) : await api.push(image, auth, signal);
      for await (const line of readNdjson<ProgressLine>(stream)) {
        if (line.error) {
          result.status = 'failed';
          result.error = line.errorDetail?.message ?? line.error;
        }
        const digest =
          line.aux?.Digest ?? /Digest: (sha256:[0-9a-f]{64})/.exec(line.status ?? '')?.[1];
        if (digest) result.digest = digest;
        emit(line.error ?? line.status ?? '', line);
      }
      if (result.status === 'running') result.status = 'done';
    } catch (err) {
      result.status = signal.aborted ? 'cancelled' : 'failed';
      result.error = signal.aborted ? 'cancelled' : errorMessage(err);
    }
    emit(result.status === 'done' ? 'done' : `${result.status}: ${result.error ?? ''}`);
    return { ...result };
  }

  private forgetOld(): void {
    const finished = [...this.transfers.entries()].filter(([, t]) => t.result.status !== 'running');
    for (const [key] of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)))
      this.transfers.delete(key);
  }
}
