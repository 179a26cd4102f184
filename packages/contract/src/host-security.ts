import { z } from 'zod';
import { HostId } from './hosts.js';

const HostPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') && !p.includes('\0'), 'must be an absolute host path');

export const HostNamespace = z.enum(['network', 'pid', 'ipc', 'uts', 'userns', 'cgroupns']);
export type HostNamespace = z.infer<typeof HostNamespace>;

/**
 * What non-admins may ask of a host when they create a container on it (admins are never
 * restricted). The defaults refuse everything that reaches past the container into the host.
 */
export const HostSecurity = z
  .strictObject({
    bindMounts: z
      .array(HostPath)
      .max(64)
      .default([])
      .describe(
        'Host paths under which non-admins may bind mount; empty: no bind mounts; "/": any',
      ),
    engineSocket: z
      .boolean()
      .default(false)
      .describe(
        "Non-admins may bind the engine's socket (Docker's or containerd's), which is root on the host; without this it is refused even under an allowed path",
      ),
    capabilities: z
      .array(z.string().regex(/^[A-Z_]+$/, 'a capability like NET_ADMIN, or ALL'))
      .max(64)
      .default([])
      .describe("Capabilities beyond Docker's defaults that non-admins may add; ALL for any"),
    devices: z
      .array(HostPath)
      .max(64)
      .default([])
      .describe('Host devices (or folders of them, like /dev/dri) non-admins may map'),
    hostNamespaces: z
      .array(HostNamespace)
      .max(6)
      .default([])
      .describe(
        "The host's namespaces non-admins may join (network, pid, ipc, uts, userns, cgroupns)",
      ),
    securityOptions: z
      .boolean()
      .default(false)
      .describe(
        'Non-admins may set security options other than no-new-privileges (seccomp, apparmor, label, systempaths: unconfined or another profile)',
      ),
    sysctls: z.boolean().default(false).describe('Non-admins may set kernel parameters'),
  })
  .meta({ id: 'HostSecurity' });
export type HostSecurity = z.infer<typeof HostSecurity>;
export type HostSecuritySetting = keyof HostSecurity;

export const HostSecurityView = z
  .object({
    host: HostId,
    settings: HostSecurity,
    updatedAt: z.string().nullable().describe('Never changed: the defaults'),
    updatedBy: z.string().nullable(),
  })
  .meta({ id: 'HostSecurityView' });
export type HostSecurityView = z.infer<typeof HostSecurityView>;

/** One option a create asked for that the host's settings do not allow its caller. */
export const PolicyViolation = z
  .object({
    field: z.string().describe('Where in the body: "mounts.0.source", "capAdd.1", "pidMode"'),
    setting: z.string().describe('The host setting that decides it: "bindMounts", …'),
    message: z.string(),
  })
  .meta({ id: 'PolicyViolation' });
export type PolicyViolation = z.infer<typeof PolicyViolation>;
