import { z } from 'zod';
import { HostParams } from './hosts.js';
import { StaleField } from './stale.js';

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ImageSummary = z
  .object({
    id: z.string(),
    shortId: z.string(),
    tags: z.array(z.string()),
    digests: z.array(z.string()),
    size: z.number().int(),
    created: z.iso.datetime(),
    usedBy: z.array(z.object({ id: z.string(), name: z.string(), state: z.string() })),
    dangling: z.boolean().describe('No tag at all'),
    unused: z.boolean().describe('No container, running or not, uses it'),
    previousTags: z
      .array(z.string())
      .describe('Tags that moved to another image ("was nginx:latest")'),
    labels: z.record(z.string(), z.string()),
  })
  .meta({ id: 'ImageSummary' });
export type ImageSummary = z.infer<typeof ImageSummary>;

export const ImageList = z.object({ images: z.array(ImageSummary), stale: StaleField });
export type ImageList = z.infer<typeof ImageList>;

export const ImageListQuery = z.strictObject({
  dangling: Bool.optional(),
  unused: Bool.optional(),
  reference: z.string().max(512).optional().describe('Substring of a tag'),
});

export const ImageParams = z.object({
  host: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, at most 63'),
  id: z
    .string()
    .min(1)
    .max(512)
    .regex(
      /^(?!.*(^|\/)\.\.(\/|$))[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$/,
      'an image id, id prefix or reference like nginx:1.27',
    )
    .describe('Image id, id prefix, or reference (repo:tag)'),
});

/** A pull or push the server follows: `/api/hosts/:host/images/transfers/:transferId`. */
export const TransferParams = HostParams.extend({ transferId: z.uuid() });

/** The engine's own inspect answer, as it gives it (`docker image inspect`). */
export const ImageInspect = z
  .record(z.string(), z.unknown())
  .meta({ id: 'ImageInspect', description: "The engine's image inspect answer" });
export type ImageInspect = z.infer<typeof ImageInspect>;

const Reference = z
  .string()
  .min(1)
  .max(512)
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$/,
    'an image reference like nginx:1.27 or registry.local:5000/team/app:2',
  );

export const PullRequest = z.strictObject({
  image: Reference,
  wait: z
    .boolean()
    .default(true)
    .describe('Answer when the pull ends (else at once, with the pull id)'),
});
export const PushRequest = z.strictObject({ image: Reference, wait: z.boolean().default(true) });

export const TransferResult = z
  .object({
    transferId: z.string(),
    image: z.string(),
    status: z.enum(['running', 'done', 'failed', 'cancelled']),
    error: z.string().nullable(),
    digest: z.string().nullable(),
    cli: z.string(),
  })
  .meta({ id: 'TransferResult' });
export type TransferResult = z.infer<typeof TransferResult>;

export const LoadResult = z
  .object({
    loaded: z.array(z.string()).describe('What the engine loaded: tags, or ids of untagged images'),
    cli: z.string(),
  })
  .meta({ id: 'LoadResult' });
export type LoadResult = z.infer<typeof LoadResult>;

export const TagRequest = z.strictObject({
  repository: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._\-/:]*$/, 'a repository like myapp or registry.local:5000/team/app'),
  tag: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'a tag like 1.2 or latest')
    .default('latest'),
});

export const ImageRemoveQuery = z.strictObject({ force: Bool.optional() });

/** `docker … prune --filter label=…`: only objects carrying this label (a key, or key=value). */
export const PruneLabel = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[^=\s][^=]*(=.*)?$/, 'a label key, or key=value')
  .optional()
  .describe('Only objects with this label: a key, or key=value');

export const PruneImagesRequest = z
  .strictObject({
    mode: z.enum(['dangling', 'unused']).default('dangling'),
    olderThanDays: z
      .number()
      .int()
      .min(0)
      .max(3650)
      .optional()
      .describe('For unused: only images created before'),
    label: PruneLabel,
    dryRun: z.boolean().default(true),
  })
  .meta({ id: 'PruneImagesRequest' });

export const PruneResult = z
  .object({
    dryRun: z.boolean(),
    removed: z.array(z.object({ id: z.string(), name: z.string() })),
    reclaimedBytes: z.number().int(),
    failed: z.array(z.object({ id: z.string(), error: z.string() })),
    cli: z.string(),
  })
  .meta({ id: 'PruneResult' });
export type PruneResult = z.infer<typeof PruneResult>;

export const ImageHistory = z.object({
  layers: z.array(
    z.object({
      id: z.string(),
      created: z.iso.datetime(),
      createdBy: z.string(),
      size: z.number().int(),
      tags: z.array(z.string()),
    }),
  ),
});
export type ImageHistory = z.infer<typeof ImageHistory>;

export const ActionCli = z.object({ ok: z.literal(true), cli: z.string() });
export type ActionCli = z.infer<typeof ActionCli>;

const BuildTag = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[a-z0-9][a-z0-9._\-/:]*$/, 'a tag like myapp:1.0 or registry.local:5000/team/app:2');

const BuildArgs = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string());

export const BuildRequest = z
  .strictObject({
    dockerfile: z
      .string()
      .min(1)
      .max(1024 * 1024)
      .describe('The Dockerfile text (its context is empty)'),
    tags: z.array(BuildTag).min(1).max(16),
    buildArgs: BuildArgs.default({}),
  })
  .meta({ id: 'BuildRequest' });

export const BuildContextQuery = z.strictObject({
  tag: z
    .union([BuildTag, z.array(BuildTag).max(16)])
    .describe('One or more tags (repeat the parameter)'),
  dockerfile: z
    .string()
    .max(1024)
    .default('Dockerfile')
    .describe('Path of the Dockerfile inside the context'),
  buildArgs: z
    .string()
    .max(65536)
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.issues.push({ code: 'custom', message: 'is not JSON', input: text });
        return z.NEVER;
      }
    })
    .pipe(BuildArgs)
    .optional()
    .describe('JSON object of build arguments'),
  target: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'a build stage name')
    .optional()
    .describe('Build up to this stage (`--target`)'),
  noCache: Bool.optional().describe('Do not use the build cache (`--no-cache`)'),
});

export const BuildResult = z
  .object({
    ok: z.boolean(),
    imageId: z.string().nullable(),
    tags: z.array(z.string()),
    log: z.array(z.string()),
    error: z.string().nullable(),
    failedStep: z.string().nullable().describe('The step that failed, e.g. "Step 3/5 : RUN make"'),
    cli: z.string(),
  })
  .meta({ id: 'BuildResult' });
export type BuildResult = z.infer<typeof BuildResult>;
