import type { DirectoryListing } from '@berth/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api/client.js';
import { HOST } from '../../app/Layout.js';
import { Button, ErrorNotice, formatBytes } from '../../components/ui.js';

/** Browse the container's files; operators can download and upload. */
export function FilesPanel({ containerId, canWrite }: { containerId: string; canWrite: boolean }) {
  const [path, setPath] = useState('/');
  const [error, setError] = useState<unknown>(null);
  const client = useQueryClient();
  const base = `/api/hosts/${HOST}/containers/${containerId}/files`;
  const listing = useQuery({
    queryKey: ['files', containerId, path],
    queryFn: () => get<DirectoryListing>(`${base}?path=${encodeURIComponent(path)}`),
  });
  const upload = async (file: File): Promise<void> => {
    setError(null);
    const target = `${path.replace(/\/$/, '')}/${file.name}`;
    const res = await fetch(`${base}?path=${encodeURIComponent(target)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: file,
    });
    if (!res.ok)
      setError(new Error(((await res.json()) as { error: { message: string } }).error.message));
    await client.invalidateQueries({ queryKey: ['files', containerId, path] });
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
                  <a href={`${base}/download?path=${encodeURIComponent(e.path)}`}>
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
