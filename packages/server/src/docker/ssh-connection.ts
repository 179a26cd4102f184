import { createHash } from 'node:crypto';
import type { ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';
import { DialStdioSocket } from './dial-stdio-socket.js';

/** Where an SSH host is reached and who Berth is there. */
export interface SshTarget {
  host: string;
  port: number;
  user: string;
  /** OpenSSH or PEM private key; null: the agent at SSH_AUTH_SOCK of Berth's process. */
  privateKey: Buffer | null;
  passphrase: string | null;
  /** The pinned host key fingerprint; null only while testing, to learn the key. */
  hostKey: string | null;
}

export interface SshHostKey {
  algorithm: string;
  fingerprint: string;
}

/**
 * An SSH failure that says what went wrong. `code` is one of Berth's host failure reasons
 * (ssh_auth_failed, host_key_mismatch, engine_not_found), or the socket's own code.
 */
export class SshError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SshError';
  }
}

/** The command the docker CLI runs on an ssh:// host to reach its engine over stdin/stdout. */
const DIAL_STDIO = 'docker system dial-stdio';

/** A host key blob as OpenSSH prints it: its algorithm, and SHA256: with unpadded base64. */
export function hostKeyOf(blob: Buffer): SshHostKey {
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const algorithm = blob.subarray(4, 4 + length).toString('latin1') || 'unknown';
  const digest = createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  return { algorithm, fingerprint: `SHA256:${digest}` };
}

/**
 * The one SSH connection to a host, opened when first needed and again after it is lost (the
 * engine state's pings, with their backoff, are what ask again). Every Engine API connection is
 * an exec channel on it running `docker system dial-stdio`. A host key other than the pinned
 * one ends the handshake before Berth authenticates.
 */
export class SshConnection {
  private client: Promise<Client> | null = null;
  private closed = false;
  /** The host key the remote showed in the last handshake. */
  hostKeySeen: SshHostKey | null = null;

  constructor(
    private readonly target: SshTarget,
    private readonly readyTimeoutMs = 10_000,
  ) {}

  get label(): string {
    return `${this.target.user}@${this.target.host}:${this.target.port}`;
  }

  /**
   * An Engine API connection, as http's `createConnection` hands one over: through the
   * callback, once the channel is open (undefined is returned, as Node allows).
   */
  readonly createConnection = (
    _options: ClientRequestArgs,
    oncreate: (err: Error | null, socket: Duplex) => void,
  ): undefined => {
    // On an error Node reads no socket: a missing one is never touched.
    const fail = oncreate as (err: Error) => void;
    this.channel().then(
      (socket) => oncreate(null, socket),
      (err: unknown) => fail(err instanceof Error ? err : new Error(String(err))),
    );
    return undefined;
  };

  close(): void {
    this.closed = true;
    const client = this.client;
    this.client = null;
    client?.then(
      (c) => c.end(),
      () => undefined,
    );
  }

  private async channel(): Promise<Duplex> {
    if (this.closed)
      throw new SshError('ECONNRESET', `the SSH connection to ${this.label} is closed`);
    this.client ??= this.connect();
    const client = await this.client;
    if (this.closed) {
      client.end();
      throw new SshError('ECONNRESET', `the SSH connection to ${this.label} is closed`);
    }
    return new Promise((resolve, reject) => {
      client.exec(DIAL_STDIO, (err, channel) => {
        if (err) {
          reject(
            new SshError(
              'ECONNRESET',
              `${this.label} refused a session for ${DIAL_STDIO} (${err.message}): is sshd's MaxSessions reached?`,
            ),
          );
          return;
        }
        resolve(new DialStdioSocket(channel, (code, stderr) => this.dialFailure(code, stderr)));
      });
    });
  }

  private dialFailure(exitCode: number | null, stderr: string): Error {
    const said = stderr.split('\n').filter(Boolean).slice(-1)[0] ?? `exit ${exitCode ?? '?'}`;
    if (exitCode === 127 || /command not found|not found/i.test(stderr))
      return new SshError(
        'engine_not_found',
        `No docker CLI on ${this.label}: the remote runs "${DIAL_STDIO}", install the docker CLI there (${said})`,
      );
    return new SshError(
      'engine_not_found',
      `The docker CLI on ${this.label} cannot reach an engine: is dockerd running there, and the user in the docker group? (${said})`,
    );
  }

  private connect(): Promise<Client> {
    const target = this.target;
    let refusal: SshError | null = null;
    const config: ConnectConfig = {
      host: target.host,
      port: target.port,
      username: target.user,
      readyTimeout: this.readyTimeoutMs,
      // Notice a dead connection even while nothing is sent, and open a new one.
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        const seen = hostKeyOf(key);
        this.hostKeySeen = seen;
        if (target.hostKey === null || seen.fingerprint === target.hostKey) return true;
        refusal = new SshError(
          'host_key_mismatch',
          `Host key mismatch: ${this.label} shows ${seen.fingerprint} (${seen.algorithm}), not the pinned ${target.hostKey}; if the remote's key changed on purpose, test the host and set ssh.hostKey to the new fingerprint`,
        );
        return false;
      },
    };
    if (target.privateKey) {
      config.privateKey = target.privateKey;
      if (target.passphrase !== null) config.passphrase = target.passphrase;
    } else if (process.env.SSH_AUTH_SOCK) {
      config.agent = process.env.SSH_AUTH_SOCK;
    }
    const client = new Client();
    const forget = (): void => {
      if (this.client === opened) this.client = null;
    };
    const opened = new Promise<Client>((resolve, reject) => {
      let ready = false;
      client.on('ready', () => {
        ready = true;
        resolve(client);
      });
      client.on('error', (err: Error & { level?: string; code?: string }) => {
        forget();
        if (!ready) reject(refusal ?? this.connectFailure(err));
      });
      client.on('close', () => {
        forget();
        if (!ready)
          reject(refusal ?? new SshError('ECONNRESET', `${this.label} closed the SSH connection`));
      });
      if (!target.privateKey && !config.agent) {
        reject(
          new SshError(
            'ssh_auth_failed',
            `No private key for ${this.label} and no SSH agent (SSH_AUTH_SOCK) in Berth's environment`,
          ),
        );
        return;
      }
      try {
        client.connect(config);
      } catch (err) {
        reject(this.connectFailure(err as Error));
      }
    });
    opened.catch(forget);
    return opened;
  }

  private connectFailure(err: Error & { level?: string; code?: string }): SshError {
    if (err.level === 'client-authentication' || /authentication methods failed/i.test(err.message))
      return new SshError(
        'ssh_auth_failed',
        `SSH authentication failed for ${this.label}: the remote refused Berth's key (is it in ~${this.target.user}/.ssh/authorized_keys?)`,
      );
    if (/privateKey|passphrase/i.test(err.message))
      return new SshError(
        'ssh_auth_failed',
        `The private key for ${this.label} cannot be used: ${err.message}`,
      );
    if (err.level === 'client-timeout')
      return new SshError('ETIMEDOUT', `no SSH handshake with ${this.label} in time`);
    return new SshError(err.code ?? 'ECONNRESET', err.message);
  }
}
