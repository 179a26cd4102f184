import { z } from 'zod';
import { HostId } from './host-id.js';
import { Labels } from './labels.js';

/**
 * Swarm secrets and configs. A secret's value goes in and never comes back out (the engine
 * does not return it, Berth neither). A config is not secret: its detail shows the data.
 */

export const SecretName = z
  .string()
  .regex(
    /^[a-zA-Z0-9](?:[a-zA-Z0-9_.-]{0,62}[a-zA-Z0-9])?$/,
    'letters, digits and _ . -, starting and ending with a letter or digit, at most 64',
  );
export const SecretParams = z.object({
  host: HostId,
  id: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'an id or a name: letters, digits and _ . - only')
    .describe('Id or name'),
});

/** The value, as text or as base64 (bytes). Limit: the engine's 500 KB. */
const Value = {
  value: z.string().min(1).max(700_000).describe('The value (never returned once stored)'),
  encoding: z
    .enum(['text', 'base64'])
    .default('text')
    .describe('How value is written: text, or base64 for bytes'),
};
const base64Value = {
  check: (v: { value: string; encoding: 'text' | 'base64' }) =>
    v.encoding === 'text' || /^[A-Za-z0-9+/]+={0,2}$/.test(v.value),
  message: { path: ['value'], message: 'base64, as encoding says' },
};

export const SecretCreate = z
  .strictObject({ name: SecretName, labels: Labels.optional(), ...Value })
  .refine(base64Value.check, base64Value.message)
  .meta({ id: 'SecretCreate' });
export type SecretCreate = z.infer<typeof SecretCreate>;

export const SecretRotate = z
  .strictObject({
    ...Value,
    removeOld: z
      .boolean()
      .default(false)
      .describe('Remove the old version once every service uses the new one'),
  })
  .refine(base64Value.check, base64Value.message)
  .meta({ id: 'SecretRotate' });
export type SecretRotate = z.infer<typeof SecretRotate>;

export const UsedBy = z.array(z.object({ id: z.string(), name: z.string() }));

export const SecretView = z
  .object({
    id: z.string(),
    name: z.string(),
    labels: z.record(z.string(), z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
    usedBy: UsedBy.describe('Services that mount it'),
    lineage: z
      .string()
      .nullable()
      .describe('Versions made by rotation share it (label io.berth.secret.lineage)'),
    version: z.number().int().describe('1 for a first secret; rotation counts up'),
  })
  .meta({ id: 'SecretView' });
export type SecretView = z.infer<typeof SecretView>;
export const SecretList = z.object({ secrets: z.array(SecretView) }).meta({ id: 'SecretList' });

export const ConfigView = SecretView.meta({ id: 'ConfigView' });
export type ConfigView = z.infer<typeof ConfigView>;
export const ConfigList = z.object({ configs: z.array(ConfigView) }).meta({ id: 'ConfigList' });
export const ConfigDetail = ConfigView.extend({
  data: z.string().nullable().describe('The data as text (null when it is not UTF-8)'),
  dataBase64: z.string(),
}).meta({ id: 'ConfigDetail' });
export type ConfigDetail = z.infer<typeof ConfigDetail>;

export const SecretCreated = SecretView.extend({ cli: z.string() }).meta({ id: 'SecretCreated' });
export type SecretCreated = z.infer<typeof SecretCreated>;

export const RotateResult = z
  .object({
    secret: SecretView.describe('The new version'),
    previous: z.object({ id: z.string(), name: z.string(), removed: z.boolean() }),
    services: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        ok: z.boolean(),
        error: z.string().nullable(),
        cli: z.string(),
      }),
    ),
    cli: z.string(),
  })
  .meta({ id: 'RotateResult' });
export type RotateResult = z.infer<typeof RotateResult>;
