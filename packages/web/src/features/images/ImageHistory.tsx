import type { ImageHistory as History } from '@berth/contract';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { HOST } from '../../app/Layout.js';
import { ErrorNotice, formatBytes } from '../../components/ui.js';

/** An image's layers, newest first, fetched the first time the user opens them. */
export function ImageHistory({ imageId, label }: { imageId: string; label: string }) {
  const [history, setHistory] = useState<History | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = async (): Promise<void> => {
    setError(null);
    try {
      setHistory(await client.images.history({ params: { host: HOST, id: imageId } }));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <details
      className="image-history"
      onToggle={(e) => (e.currentTarget.open && !history ? void load() : undefined)}
    >
      <summary>History</summary>
      <ErrorNotice error={error} />
      {history === null && !error && <p className="muted">Loading…</p>}
      {history && (
        <table className="simple" aria-label={`Layers of ${label}`} data-testid="image-history">
          <thead>
            <tr>
              <th scope="col">Created by</th>
              <th scope="col">Size</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {history.layers.map((layer, index) => (
              <tr key={`${layer.id}-${index}`}>
                <td>
                  <code className="layer-command">{layer.createdBy || '—'}</code>
                </td>
                <td>{formatBytes(layer.size)}</td>
                <td>{new Date(layer.created).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
