import { z } from 'zod';
import { EnvironmentTag } from './container-create.js';

/** Converters to compose: a `docker run` command, or containers that exist, as a compose file. */

const ServiceName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_.-]{0,62}$/,
    'a compose service name: lowercase letters, digits, _ . - (at most 63)',
  );

export const FromRunBody = z
  .strictObject({
    command: z
      .string()
      .min(1, 'a docker run command, like docker run -d -p 8080:80 nginx')
      .max(65_536)
      .describe('As typed in a shell: quotes, backslash line continuations'),
    name: ServiceName.optional().describe('The service key; else --name, else the image name'),
  })
  .meta({ id: 'FromRunBody' });
export type FromRunBody = z.infer<typeof FromRunBody>;

/** Something of the input that the compose file does not carry as it was. */
export const ConvertWarning = z.object({
  flag: z.string().describe('The docker run flag (or the container) it is about'),
  message: z.string(),
});
export type ConvertWarning = z.infer<typeof ConvertWarning>;

/** One service as the compose file writes it (short syntax where compose has one). */
export const ConvertedService = z.object({
  name: z.string().describe('The service key'),
  container: z.string().optional().describe('The container it was exported from'),
  definition: z.record(z.string(), z.unknown()),
});
export type ConvertedService = z.infer<typeof ConvertedService>;

export const FromRunResult = z
  .object({
    yaml: z
      .string()
      .describe('A compose file with the service and the networks and volumes it names'),
    service: ConvertedService,
    warnings: z.array(ConvertWarning),
  })
  .meta({ id: 'FromRunResult' });
export type FromRunResult = z.infer<typeof FromRunResult>;

export const ComposeExportQuery = z.strictObject({
  containers: z
    .string()
    .max(8192)
    .regex(
      /^[a-zA-Z0-9][a-zA-Z0-9_.-]*(,[a-zA-Z0-9][a-zA-Z0-9_.-]*)*$/,
      'container names or ids, separated by commas',
    )
    .optional()
    .describe('Names or ids, comma separated'),
  environment: EnvironmentTag.optional().describe('Every container with this environment tag'),
});
export type ComposeExportQuery = z.infer<typeof ComposeExportQuery>;

export const ComposeExport = z
  .object({
    yaml: z.string(),
    services: z.array(ConvertedService),
    warnings: z.array(ConvertWarning),
  })
  .meta({ id: 'ComposeExport' });
export type ComposeExport = z.infer<typeof ComposeExport>;
