import { z } from 'zod';

const RegistryHost = z
  .string()
  .regex(
    /^[a-zA-Z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:.]+\](:\d{1,5})?$/,
    'a registry host like registry.example.com or 127.0.0.1:5000',
  );

export const RegistryView = z
  .object({
    id: z.string(),
    name: z.string(),
    host: z.string(),
    username: z.string(),
    insecure: z
      .boolean()
      .describe('Plain HTTP (loopback registries are always allowed plain HTTP)'),
    createdAt: z.string(),
  })
  .meta({ id: 'Registry' });
export type RegistryView = z.infer<typeof RegistryView>;

export const RegistryCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    host: RegistryHost,
    username: z.string().min(1).max(256),
    password: z
      .string()
      .min(1)
      .max(8192)
      .describe('Password or access token; stored encrypted, never returned'),
    insecure: z.boolean().default(false),
  })
  .meta({ id: 'RegistryCreate' });
export type RegistryCreate = z.infer<typeof RegistryCreate>;

export const RegistryUpdate = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    username: z.string().min(1).max(256).optional(),
    password: z.string().min(1).max(8192).optional(),
    insecure: z.boolean().optional(),
  })
  .meta({ id: 'RegistryUpdate' });
export type RegistryUpdate = z.infer<typeof RegistryUpdate>;

export const RegistryList = z.object({ registries: z.array(RegistryView) });
export type RegistryList = z.infer<typeof RegistryList>;
export const RegistryTestResult = z.object({ ok: z.boolean(), message: z.string() });
export type RegistryTestResult = z.infer<typeof RegistryTestResult>;

export const UpdateStatus = z.enum(['up-to-date', 'update-available', 'unknown']);
export const ImageUpdate = z
  .object({
    image: z.string(),
    tag: z.string(),
    localDigest: z.string().nullable(),
    remoteDigest: z.string().nullable(),
    status: UpdateStatus,
    reason: z.string().optional(),
    checkedAt: z.string(),
  })
  .meta({ id: 'ImageUpdate' });
export type ImageUpdate = z.infer<typeof ImageUpdate>;
export const ImageUpdateList = z.object({ updates: z.array(ImageUpdate) });
export type ImageUpdateList = z.infer<typeof ImageUpdateList>;

export const ContainerUpdateEntry = z
  .object({
    id: z.number().int(),
    containerName: z.string(),
    kind: z.enum(['update', 'retag', 'rollback']),
    oldImage: z.string(),
    oldImageId: z.string(),
    oldDigest: z.string().nullable(),
    newImage: z.string(),
    newImageId: z.string().nullable(),
    newDigest: z.string().nullable(),
    outcome: z.enum(['updated', 'up-to-date', 'rolled-back', 'failed']),
    message: z.string().nullable(),
    username: z.string().nullable(),
    at: z.string(),
  })
  .meta({ id: 'ContainerUpdateEntry' });
export type ContainerUpdateEntry = z.infer<typeof ContainerUpdateEntry>;
export const ContainerUpdateHistory = z.object({ history: z.array(ContainerUpdateEntry) });
export type ContainerUpdateHistory = z.infer<typeof ContainerUpdateHistory>;

export const UpdateContainerRequest = z.strictObject({
  validateSeconds: z.number().int().min(0).max(300).default(10),
});
export const RetagRequest = z.strictObject({
  tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'a tag like 1.2'),
  validateSeconds: z.number().int().min(0).max(300).default(10),
});
export const RollbackRequest = z.strictObject({
  historyId: z
    .number()
    .int()
    .positive()
    .describe('The history entry whose old image to go back to'),
  validateSeconds: z.number().int().min(0).max(300).default(10),
});

export const UpdatePreview = z
  .object({
    containers: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        image: z.string(),
        localDigest: z.string().nullable(),
        remoteDigest: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'UpdatePreview' });
export const UpdateApplyRequest = z.strictObject({
  containers: z
    .array(z.string().min(1).max(128))
    .min(1)
    .max(500)
    .describe('Ids from the preview; nothing else is touched'),
  validateSeconds: z.number().int().min(0).max(300).default(10),
});
export const UpdateApplyResult = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      ok: z.boolean(),
      outcome: z.string(),
      message: z.string().nullable(),
    }),
  ),
});
