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

/** The value: text, or base64 for bytes. Exactly one. Limit: the engine's 500 KB. */
const Value = {
  value: z.string().min(1).max(500_000).optional().describe('The value as text'),
  valueBase64: z
    .string()
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64')
    .max(700_000)
    .optional()
    .describe('The value as base64 (bytes)'),
};
const oneValue = {
  check: (v: { value?: string | undefined; valueBase64?: string | undefined }) =>
    (v.value === undefined) !== (v.valueBase64 === undefined),
  message: { path: ['value'], message: 'give exactly one of value and valueBase64' },
};

export const SecretCreate = z
  .strictObject({ name: SecretName, labels: Labels.optional(), ...Value })
  .refine(oneValue.check, oneValue.message)
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
  .refine(oneValue.check, oneValue.message)
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
