import { z } from 'zod';

/** A host id appears in every host-scoped route: `/api/hosts/:host/...`. */
export const HostId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, at most 63');
export type HostId = z.infer<typeof HostId>;

export const HostParams = z.object({ host: HostId });
export type HostParams = z.infer<typeof HostParams>;

/** An SSH host key fingerprint as OpenSSH prints it: `SHA256:` and unpadded base64. */
export const SshFingerprint = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'an SSH key fingerprint: SHA256:<43 base64 characters>');
