import {
  AGENT_REFUSED_CLOSE,
  AgentHello,
  parseJoinToken,
  type AgentRefusal,
  type AgentSelf,
  type AgentWelcome,
} from '@berth/contract';
import { createWebSocketStream, type WebSocket } from 'ws';
import { errorMessage } from '../../core/errors.js';
import { toBuffer } from '../../http/client-messages.js';
import type { Logger } from '../../core/logger.js';
import { openAgentSession } from '../../docker/agent-tunnel.js';
import type { AuditActor, AuditService } from '../audit/audit-service.js';
import { fingerprintOf, hashSecret } from './agent-keys.js';
import { downReasonOf } from './agent-status.js';
import type { AgentsService } from './agents-service.js';
import type { AgentsRepository } from './agents-repository.js';

/** How long an agent has for its first frame, and for its SSH handshake. */
const HELLO_TIMEOUT_MS = 10_000;
const HANDSHAKE_TIMEOUT_MS = 10_000;

/** Who an agent is to the gateway once its hello is read. */
type Admission =
  | { ok: true; hostId: string; fingerprint: string; pairing: PairingClaim | null; self: AgentSelf }
  | { ok: false; code: AgentRefusal; message: string; hostId: string | null };

interface PairingClaim {
  tokenHash: string;
  publicKey: string;
}

export interface AgentConnection {
  socket: WebSocket;
  remoteAddress: string;
  userAgent: string | null;
}

/**
 * Where agents connect. An agent says hello (its host and key) or pairs (a join token and a new
 * key); Berth answers welcome or refused; then the socket carries an SSH session in which the
 * agent proves the key (a signature over fresh key-exchange values). A pairing is recorded only
 * once that proof is made, and only if its token is still unused: nothing is half-paired.
 */
export class AgentGateway {
  constructor(
    private readonly agents: AgentsService,
    private readonly repository: AgentsRepository,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  serve(connection: AgentConnection): void {
    const { socket } = connection;
    const timer = setTimeout(() => {
      this.refuse(connection, {
        ok: false,
        code: 'bad_hello',
        message: `no hello within ${HELLO_TIMEOUT_MS / 1000} s`,
        hostId: null,
      }).catch((err: unknown) =>
        this.logger.error({ err: errorMessage(err) }, 'agent refusal not audited'),
      );
    }, HELLO_TIMEOUT_MS);
    socket.once('message', (data, isBinary) => {
      clearTimeout(timer);
      this.admitAndOpen(connection, isBinary ? null : toBuffer(data).toString('utf8')).catch(
        (err: unknown) => {
          this.logger.error({ err: errorMessage(err) }, 'agent connection failed');
          socket.terminate();
        },
      );
    });
    socket.once('close', () => clearTimeout(timer));
  }

  private async admitAndOpen(connection: AgentConnection, text: string | null): Promise<void> {
    const admission = await this.admit(text);
    if (!admission.ok) {
      await this.refuse(connection, admission);
      return;
    }
    const { socket, remoteAddress } = connection;
    const log = this.logger.child({ host: admission.hostId, agent: remoteAddress });
    // The stream listens before the welcome goes: the agent's first SSH bytes follow it.
    const transport = createWebSocketStream(socket);
    transport.on('error', (err) => log.debug({ err: errorMessage(err) }, 'agent socket failed'));
    // The stream only ends when the socket closes: destroying it is what closes the session.
    socket.once('close', () => transport.destroy());
    const welcome: AgentWelcome = {
      type: 'welcome',
      host: admission.hostId,
      key: admission.fingerprint,
    };
    socket.send(JSON.stringify(welcome));
    let client;
    try {
      client = await openAgentSession(transport, admission.fingerprint, HANDSHAKE_TIMEOUT_MS);
    } catch (err) {
      await this.endRefused(connection, {
        ok: false,
        code: 'handshake_failed',
        message: `the agent did not prove its key: ${errorMessage(err)}`,
        hostId: admission.hostId,
      });
      return;
    }
    const at = new Date(this.now()).toISOString();
    if (admission.pairing) {
      const paired = await this.repository.pair(
        admission.hostId,
        admission.pairing.tokenHash,
        admission.pairing.publicKey,
        admission.fingerprint,
        at,
      );
      if (!paired) {
        client.end();
        await this.endRefused(connection, {
          ok: false,
          code: 'token_used',
          message: 'another agent paired with this join token first',
          hostId: admission.hostId,
        });
        return;
      }
      await this.audit.record({
        actor: this.actorOf(connection),
        action: 'agent.pair',
        target: admission.hostId,
        outcome: 'success',
        details: { key: admission.fingerprint, hostname: admission.self.hostname },
      });
    }
    await this.repository.noteConnected(admission.hostId, admission.self, remoteAddress, at);
    await this.agents.reread(admission.hostId);
    const tunnel = this.agents.tunnelOf(admission.hostId);
    tunnel.attach(client, remoteAddress, (refusal) => {
      if (refusal === null) socket.close(1000, 'reconnect');
      else socket.close(AGENT_REFUSED_CLOSE, closeReason(refusal));
    });

    log.info({ key: admission.fingerprint, paired: admission.pairing !== null }, 'agent connected');
  }

  private async admit(text: string | null): Promise<Admission> {
    let hello: AgentHello;
    try {
      const parsed = AgentHello.safeParse(JSON.parse(text ?? ''));
      if (!parsed.success)
        throw new Error(
          parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        );
      hello = parsed.data;
    } catch (err) {
      return {
        ok: false,
        code: 'bad_hello',
        message: `the first frame is a hello or a pair: ${errorMessage(err)}`,
        hostId: null,
      };
    }
    return hello.type === 'pair' ? this.admitPairing(hello) : this.admitReturning(hello);
  }

  private async admitPairing(hello: Extract<AgentHello, { type: 'pair' }>): Promise<Admission> {
    const parts = parseJoinToken(hello.token);
    if (!parts)
      return { ok: false, code: 'token_unknown', message: 'not a join token', hostId: null };
    const tokenHash = hashSecret(parts.secret);
    const record = await this.repository.byTokenHash(tokenHash);
    if (!record || !this.agents.find(record.hostId))
      return {
        ok: false,
        code: 'token_unknown',
        message:
          'Berth knows no such join token (a newer one replaced it, or its host was removed): ask an admin for a new one',
        hostId: null,
      };
    if (record.tokenUsedAt)
      return {
        ok: false,
        code: 'token_used',
        message: `this join token was used at ${record.tokenUsedAt}; a token pairs one agent once: ask an admin for a new one`,
        hostId: record.hostId,
      };
    if (!record.tokenExpiresAt || Date.parse(record.tokenExpiresAt) <= this.now())
      return {
        ok: false,
        code: 'token_expired',
        message: `this join token expired at ${record.tokenExpiresAt ?? '?'}: ask an admin for a new one`,
        hostId: record.hostId,
      };
    return {
      ok: true,
      hostId: record.hostId,
      fingerprint: fingerprintOf(hello.publicKey),
      pairing: { tokenHash, publicKey: hello.publicKey },
      self: hello.agent,
    };
  }

  private admitReturning(hello: Extract<AgentHello, { type: 'hello' }>): Admission {
    const record = this.agents.find(hello.host);
    if (!record)
      return {
        ok: false,
        code: 'agent_unknown',
        message: `Berth has no agent host "${hello.host}" (it was removed?)`,
        hostId: null,
      };
    if (record.revokedAt)
      return {
        ok: false,
        code: 'agent_revoked',
        message: downReasonOf(record),
        hostId: hello.host,
      };
    if (!record.keyFingerprint)
      return {
        ok: false,
        code: 'agent_unpaired',
        message: `the host "${hello.host}" has no paired agent: pair with a join token`,
        hostId: hello.host,
      };
    if (!hello.keys.includes(record.keyFingerprint))
      return {
        ok: false,
        code: 'key_unknown',
        message: `Berth knows this host's agent by key ${record.keyFingerprint}, which this agent does not hold: pair it again with a new join token`,
        hostId: hello.host,
      };
    return {
      ok: true,
      hostId: hello.host,
      fingerprint: record.keyFingerprint,
      pairing: null,
      self: hello.agent,
    };
  }

  /** Before the SSH session: a refused frame, then the close. Refusals are audited. */
  private async refuse(connection: AgentConnection, refusal: Extract<Admission, { ok: false }>) {
    const frame: AgentWelcome = { type: 'refused', code: refusal.code, message: refusal.message };
    if (connection.socket.readyState === connection.socket.OPEN)
      connection.socket.send(JSON.stringify(frame));
    connection.socket.close(
      AGENT_REFUSED_CLOSE,
      closeReason(`${refusal.code}: ${refusal.message}`),
    );
    await this.auditRefusal(connection, refusal);
  }

  /** Once the SSH session started, the refusal is the close reason. */
  private async endRefused(
    connection: AgentConnection,
    refusal: Extract<Admission, { ok: false }>,
  ) {
    connection.socket.close(
      AGENT_REFUSED_CLOSE,
      closeReason(`${refusal.code}: ${refusal.message}`),
    );
    await this.auditRefusal(connection, refusal);
  }

  private async auditRefusal(
    connection: AgentConnection,
    refusal: Extract<Admission, { ok: false }>,
  ) {
    this.logger.warn(
      { host: refusal.hostId, agent: connection.remoteAddress, code: refusal.code },
      `agent refused: ${refusal.message}`,
    );
    await this.audit.record({
      actor: this.actorOf(connection),
      action: 'agent.connect',
      target: refusal.hostId,
      outcome: 'failure',
      details: { code: refusal.code, message: refusal.message },
    });
  }

  private actorOf(connection: AgentConnection): AuditActor {
    return {
      userId: null,
      username: null,
      tokenId: null,
      ip: connection.remoteAddress,
      userAgent: connection.userAgent,
    };
  }
}

/** A close reason is at most 123 bytes. */
function closeReason(reason: string): string {
  const bytes = Buffer.from(reason);
  return bytes.length <= 123
    ? reason
    : bytes
        .subarray(0, 120)
        .toString('utf8')
        .replace(/\uFFFD$/, '') + '…';
}
