export interface TestSshKey {
  /** OpenSSH private key text (no passphrase). */
  privateKey: string;
  /** The authorized_keys line of its public half. */
  publicKey: string;
  /** SHA256:… as ssh-keygen -l prints it. */
  fingerprint: string;
}
export interface TestSshd {
  port: number;
  /** The user sessions run as (the test's own). */
  user: string;
  /** Each client key by the name it was asked for. */
  keys: Record<string, TestSshKey>;
  /** The host key's fingerprint, as ssh-keygen -l prints it. */
  readonly hostKey: string;
  /** Stops sshd (and its sessions) and starts it again on the same port. */
  restart(options?: { newHostKey?: boolean }): Promise<void>;
  /** Stops sshd and its sessions; restart() brings it back. */
  halt(): Promise<void>;
  /** Stops sshd and removes its files. */
  stop(): Promise<void>;
}
export function ensureSshTools(): Promise<void>;
export function startTestSshd(options: {
  clients: Record<string, Record<string, string>>;
}): Promise<TestSshd>;
export function startTestSshAgent(
  privateKeys: string[],
): Promise<{ socket: string; stop(): Promise<void> }>;
