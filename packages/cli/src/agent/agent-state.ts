import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** An agent key pair as ssh2 makes and reads it (OpenSSH formats). */
export const AgentKey = z.object({ private: z.string(), public: z.string() });
export type AgentKey = z.infer<typeof AgentKey>;

/**
 * What the agent keeps between runs: which Berth (URL and the pin of its TLS key), which host
 * it is there, its key pair, the key before a rotation until the new one is confirmed, and the
 * SHA-256 of the join token it paired with (the same token given again pairs nothing).
 */
export const AgentStateFile = z.object({
  server: z.string(),
  pin: z.string().regex(/^[0-9a-f]{64}$/),
  host: z.string(),
  key: AgentKey,
  previousKey: AgentKey.nullable(),
  tokenHash: z.string().nullable(),
});
export type AgentStateFile = z.infer<typeof AgentStateFile>;

/** `$BERTH_AGENT_STATE`, /var/lib/berth-agent for root, else ~/.local/state/berth-agent. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BERTH_AGENT_STATE) return env.BERTH_AGENT_STATE;
  if (process.getuid?.() === 0) return '/var/lib/berth-agent';
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'berth-agent');
}

export class AgentStateStore {
  readonly file: string;

  constructor(readonly dir: string) {
    this.file = join(dir, 'agent.json');
  }

  read(): AgentStateFile | null {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const parsed = AgentStateFile.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new Error(
        `${this.file} is not an agent state file (${parsed.error.issues[0]?.message ?? '?'}): move it away to pair anew`,
      );
    return parsed.data;
  }

  /** Written whole and renamed into place, 0600 in a 0700 folder: the private key is in it. */
  write(state: AgentStateFile): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.file);
  }
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** `SHA256:…` of an OpenSSH public key line, as OpenSSH prints it. */
export function keyFingerprint(publicKey: string): string {
  const blob = Buffer.from(publicKey.split(' ')[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}
