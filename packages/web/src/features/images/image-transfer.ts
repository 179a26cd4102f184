import type { TransferResult } from '@berth/contract';
import { useCallback, useEffect, useRef, useState } from 'react';
import { client } from '../../api/client.js';
import type { StreamProgress } from '@berth/contract';
import { onEventsConnected, onProgress } from '../../api/live.js';
import { useCurrentHost } from '../../app/host-paths.js';

/** Where one layer of a pull or push stands, from its latest progress message. */
export interface LayerProgress {
  layer: string;
  status: string;
  current: number | null;
  total: number | null;
}

export interface ImageTransfer {
  transfer: TransferResult | null;
  layers: LayerProgress[];
  /** Progress lines that belong to no layer ("The push refers to…", "Digest: …", "done"). */
  messages: string[];
  error: unknown;
  cancelling: boolean;
  start: (image: string) => Promise<void>;
  cancel: () => Promise<void>;
}

interface Followed {
  subject: string;
  /** Null until the server answers the start with the transfer's id. */
  id: string | null;
  /** Progress for the subject that came before the id did: sorted out once it is known. */
  early: StreamProgress[];
}

const MAX_MESSAGES = 30;
const transferParams = (host: string, transferId: string) => ({ host, transferId });

/** The server's last word on a transfer: "done", "failed: …" or "cancelled: …", on no layer. */
const isEnd = (p: StreamProgress): boolean =>
  p.layer === null && (p.status === 'done' || /^(failed|cancelled): /.test(p.status));

/**
 * Starts a pull or push without waiting for it (so it can be cancelled), then follows it on the
 * host events: each layer's progress, the lines between, and at the end the server's result.
 * When the events socket reconnects, the transfer is read again in case its end was missed.
 */
export function useImageTransfer(kind: 'pull' | 'push'): ImageTransfer {
  const host = useCurrentHost();
  const [transfer, setTransfer] = useState<TransferResult | null>(null);
  const [layers, setLayers] = useState<LayerProgress[]>([]);
  const [messages, setMessages] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [cancelling, setCancelling] = useState(false);
  const followed = useRef<Followed | null>(null);

  const refresh = useCallback(
    async (id: string): Promise<void> => {
      try {
        const now = await client.images.transfer({ params: transferParams(host, id) });
        if (followed.current?.id !== id) return;
        // Answers can cross: an older "running" never replaces an end already shown.
        setTransfer((old) =>
          old && old.status !== 'running' && now.status === 'running' ? old : now,
        );
      } catch (err) {
        setError(err);
      }
    },
    [host],
  );

  const apply = useCallback(
    (p: StreamProgress, id: string): void => {
      const { layer } = p;
      if (layer) {
        const next: LayerProgress = { layer, status: p.status, current: p.current, total: p.total };
        setLayers((old) =>
          old.some((l) => l.layer === layer)
            ? old.map((l) => (l.layer === layer ? next : l))
            : [...old, next],
        );
      } else if (p.status) {
        setMessages((old) => [...old.slice(-(MAX_MESSAGES - 1)), p.status]);
      }
      if (isEnd(p)) void refresh(id);
    },
    [refresh],
  );

  useEffect(() => {
    const stopProgress = onProgress((p) => {
      const f = followed.current;
      if (!f || p.operation !== kind || p.subject !== f.subject) return;
      if (f.id === null) f.early.push(p);
      else if (p.transferId === f.id) apply(p, f.id);
    });
    const stopConnected = onEventsConnected(() => {
      const id = followed.current?.id;
      if (id) void refresh(id);
    });
    return () => {
      stopProgress();
      stopConnected();
    };
  }, [kind, apply, refresh]);

  const start = async (image: string): Promise<void> => {
    const f: Followed = { subject: image, id: null, early: [] };
    followed.current = f;
    setTransfer(null);
    setLayers([]);
    setMessages([]);
    setError(null);
    try {
      const started = await client.images[kind]({
        params: { host },
        body: { image, wait: false },
      });
      if (followed.current !== f) return;
      f.id = started.transferId;
      setTransfer(started);
      for (const p of f.early)
        if (p.transferId === started.transferId) apply(p, started.transferId);
      f.early = [];
    } catch (err) {
      if (followed.current !== f) return;
      followed.current = null;
      setError(err);
    }
  };

  const cancel = async (): Promise<void> => {
    const id = followed.current?.id;
    if (!id) return;
    setCancelling(true);
    try {
      // The server answers once the transfer has really stopped.
      const ended = await client.images.cancelTransfer({ params: transferParams(host, id) });
      if (followed.current?.id === id) setTransfer(ended);
    } catch (err) {
      setError(err);
    } finally {
      setCancelling(false);
    }
  };

  return { transfer, layers, messages, error, cancelling, start, cancel };
}
