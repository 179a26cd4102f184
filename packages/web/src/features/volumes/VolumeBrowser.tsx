import type { DirectoryListing } from '@berth/contract';
import { useEffect, useState } from 'react';
import { client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { Button, ErrorNotice, formatBytes } from '../../components/ui.js';

const parentOf = (path: string): string => path.replace(/\/[^/]+\/?$/, '') || '/';

/**
 * The volume's files, read-only: open folders, go up, download a file or a folder (as tar,
 * when allowed). Links show their target; the server follows them only within the volume.
 */
export function VolumeBrowser({ volume, canDownload }: { volume: string; canDownload: boolean }) {
  const host = useCurrentHost();
  const [path, setPath] = useState('/');
  const [listing, setListing] = useState<DirectoryListing | null>(null);
  const [error, setError] = useState<unknown>(null);
  const params = { host, name: volume };
  const downloadUrl = (file: string): string =>
    client.volumes.downloadFile.url({ params, query: { path: file } });

  const open = async (to: string): Promise<void> => {
    setError(null);
    try {
      const next = await client.volumes.files({ params, query: { path: to } });
      setListing(next);
      // A link inside the volume opens the folder it leads to: show where that is.
      setPath(next.path);
    } catch (err) {
      setError(err);
    }
  };

  useEffect(() => {
    void open('/');
    // The root is listed once, when the browser opens; then the user navigates.
  }, []);

  return (
    <div className="volume-browser">
      <div className="toolbar">
        <span>
          Folder <code data-testid={`browse-path-${volume}`}>{path}</code>
        </span>
        {path !== '/' && (
          <Button className="btn-small" onClick={() => void open(parentOf(path))}>
            Up
          </Button>
        )}
        <Button className="btn-small" onClick={() => void open(path)}>
          Reload
        </Button>
      </div>
      <ErrorNotice error={error} />
      {listing && (
        <ul className="plain files" aria-label={`Files of ${volume} in ${path}`}>
          {listing.entries.length === 0 && <li className="muted">This folder is empty.</li>}
          {listing.entries.map((e) => (
            <li key={e.path}>
              {e.type === 'directory' ? (
                <>
                  <button
                    type="button"
                    className="linklike"
                    aria-label={`Open folder ${e.name}`}
                    onClick={() => void open(e.path)}
                  >
                    {e.name}/
                  </button>{' '}
                  {canDownload && (
                    <a
                      href={downloadUrl(e.path)}
                      download
                      aria-label={`Download .tar of folder ${e.name}`}
                    >
                      download .tar
                    </a>
                  )}
                </>
              ) : (
                <>
                  <span>{e.name}</span>
                  {e.linkTarget !== null && <span className="muted"> → {e.linkTarget}</span>}{' '}
                  {e.type === 'file' && <span className="muted">{formatBytes(e.size)}</span>}{' '}
                  {canDownload && (e.type === 'file' || e.type === 'symlink') && (
                    <a href={downloadUrl(e.path)} download aria-label={`Download ${e.name}`}>
                      download
                    </a>
                  )}
                </>
              )}
            </li>
          ))}
          {listing.truncated && <li className="muted">Only the first entries are shown.</li>}
        </ul>
      )}
    </div>
  );
}
