import { z } from 'zod';
import { HostId } from './hosts.js';

export const ResourceKind = z.enum(['container', 'image', 'network', 'volume']);
export type ResourceKind = z.infer<typeof ResourceKind>;

/** One entry of a host's change feed, as kept by its engine state. */
export const StateChange = z
  .object({
    host: HostId,
    kind: ResourceKind,
    action: z.enum(['upsert', 'remove']),
    id: z.string(),
    at: z.iso.datetime(),
  })
  .meta({ id: 'StateChange' });
export type StateChange = z.infer<typeof StateChange>;
