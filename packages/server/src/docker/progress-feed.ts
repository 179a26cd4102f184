/** Progress of long engine operations on a host (image pulls, recreates), for live UIs. */
export interface ProgressEvent {
  operation: 'pull' | 'push' | 'build' | 'backup' | 'restore' | 'recreate';
  /** Identifies one transfer among several at once (its id in the API). */
  transferId: string | null;
  /** The image (pull, push, build), volume (backup, restore) or container (recreate) concerned. */
  subject: string;
  status: string;
  layer: string | null;
  current: number | null;
  total: number | null;
}

type Listener = (event: ProgressEvent) => void;

export class ProgressFeed {
  private readonly listeners = new Set<Listener>();

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ProgressEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
