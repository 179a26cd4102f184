import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { Button, ErrorNotice, formatBytes } from '../../components/ui.js';

/** Browse the container's files; operators can download and upload. */
export function FilesPanel({ containerId, canWrite }: { containerId: string; canWrite: boolean }) {
  const host = useCurrentHost();
  const [path, setPath] = useState('/');
  const [error, setError] = useState<unknown>(null);
  const queries = useQueryClient();
  const params = { host, id: containerId };
  const listing = useQuery({
    queryKey: ['files', containerId, path],
    queryFn: () => client.containerFiles.list({ params, query: { path } }),
  });
  const upload = async (file: File): Promise<void> => {
    setError(null);
    const target = `${path.replace(/\/$/, '')}/${file.name}`;
    try {
      await client.containerFiles.upload({ params, query: { path: target }, body: file });
    } catch (err) {
      setError(err);
    }
    await queries.invalidateQueries({ queryKey: ['files', containerId, path] });
  };
  const parent = path === '/' ? null : path.replace(/\/[^/]+\/?$/, '') || '/';
  return (
    <section aria-label="Files">
      <div className="toolbar">
        <code data-testid="files-path">{path}</code>
        {parent && <Button onClick={() => setPath(parent)}>Up</Button>}
        {canWrite && (
          <label className="btn">
            Upload here{' '}
            {/* Visually hidden, not `hidden`: Tab still reaches it, and the label shows focus. */}
            <input
              type="file"
              className="sr-only"
              onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0])}
            />
          </label>
        )}
      </div>
      <ErrorNotice error={error ?? listing.error} />
      <table className="simple">
        <tbody>
          {(listing.data?.entries ?? []).map((e) => (
            <tr key={e.path}>
              <td>
                {e.type === 'directory' ? (
                  <button type="button" className="linklike" onClick={() => setPath(e.path)}>
                    {e.name}/
                  </button>
                ) : (
                  e.name
                )}
                {e.linkTarget && <span className="muted"> → {e.linkTarget}</span>}
              </td>
              <td>{e.type === 'file' ? formatBytes(e.size) : e.type}</td>
              <td className="muted">{e.mode}</td>
              <td>
                {canWrite && e.type !== 'other' && (
                  <a href={client.containerFiles.download.url({ params, query: { path: e.path } })}>
                    {e.type === 'directory' ? 'download .tar' : 'download'}
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
