import type { RawEvent } from './engine-types.js';

/** Container actions that cannot change a container's list entry. */
const INERT_CONTAINER_ACTIONS = new Set([
  'exec_create',
  'exec_start',
  'exec_detach',
  'exec_die',
  'attach',
  'detach',
  'resize',
  'top',
  'export',
  'archive-path',
  'extract-to-dir',
  'copy',
  'commit',
]);

/**
 * What to look at again after an engine event: the object it names, and for a network
 * connect or disconnect the container too (its own entry lists its networks and addresses).
 * Keys: `container:<id>`, `network:<id>`, `volume:<name>`, or `images` (the whole list).
 */
export function refreshKeysFor(event: RawEvent): string[] {
  const action = event.Action.split(':')[0] ?? event.Action;
  switch (event.Type) {
    case 'container':
      return INERT_CONTAINER_ACTIONS.has(action) ? [] : [`container:${event.Actor.ID}`];
    case 'image':
      return ['images'];
    case 'network': {
      const container = event.Actor.Attributes?.container;
      const alsoContainer = container && (action === 'connect' || action === 'disconnect');
      return alsoContainer
        ? [`network:${event.Actor.ID}`, `container:${container}`]
        : [`network:${event.Actor.ID}`];
    }
    case 'volume':
      return action === 'mount' || action === 'unmount' ? [] : [`volume:${event.Actor.ID}`];
    default:
      return [];
  }
}
