import type { Kysely, Migration } from 'kysely';

/**
 * SSH hosts (kind ssh): the pinned host key fingerprint (SHA256:…, as OpenSSH prints it) and
 * the private key with its passphrase, sealed with the SecretBox as one JSON bundle (null: the
 * SSH agent of Berth's machine is used).
 */
export const sshHosts: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('hosts').addColumn('ssh_host_key', 'text').execute();
    await db.schema.alterTable('hosts').addColumn('ssh_key_sealed', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const column of ['ssh_key_sealed', 'ssh_host_key'])
      await db.schema.alterTable('hosts').dropColumn(column).execute();
  },
};
