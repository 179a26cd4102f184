import { useQuery } from '@tanstack/react-query';
import { client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { ErrorNotice, formatBytes } from '../../components/ui.js';

/** An image's layers, newest first, fetched when its details open. */
export function ImageHistory({ imageId, label }: { imageId: string; label: string }) {
  const host = useCurrentHost();
  const history = useQuery({
    queryKey: ['image-history', host, imageId],
    queryFn: () => client.images.history({ params: { host, id: imageId } }),
  });
  return (
    <section className="image-history" aria-labelledby={`history-${imageId}`}>
      <h3 id={`history-${imageId}`}>History</h3>
      <ErrorNotice error={history.error} />
      {history.isPending && <p className="muted">Loading…</p>}
      {history.data && (
        <div className="image-history-scroll">
          <table className="simple" aria-label={`Layers of ${label}`} data-testid="image-history">
            <thead>
              <tr>
                <th scope="col">Created by</th>
                <th scope="col">Size</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {history.data.layers.map((layer, index) => (
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
        </div>
      )}
    </section>
  );
}
