import type { ImageSummary, LoadResult } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { Download } from 'lucide-react';
import { client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Badge, Button, ErrorNotice } from '../../components/ui.js';

/** Where the image's `docker save` tar downloads from (by its first tag, so the tar keeps it). */
export const saveUrl = (host: string, image: ImageSummary): string =>
  client.images.save.url({ params: { host, id: image.tags[0] ?? image.id } });

/** Starts the tar's download from code (a menu item): the browser still streams it to disk. */
export function downloadSaved(host: string, image: ImageSummary): void {
  const link = document.createElement('a');
  link.href = saveUrl(host, image);
  link.download = '';
  link.click();
}

/** Downloads the image as a `docker save` tar: a plain link, so the browser streams it to disk. */
export function SaveImageLink({ image, label }: { image: ImageSummary; label: string }) {
  const host = useCurrentHost();
  return (
    <a
      className="btn btn-small"
      href={saveUrl(host, image)}
      download
      aria-label={`Save ${label} as a tar archive`}
    >
      {/* The visible word starts the accessible name, as a speech user says it. */}
      <Download size={14} aria-hidden /> Save
    </a>
  );
}

/** The load dialog's body: a `docker save` archive the user picks, then what the engine loaded. */
export function LoadImage() {
  const host = useCurrentHost();
  const queries = useQueryClient();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [loading, setLoading] = useState(false);
  const [result, setResult] = useState<LoadResult | null>(null);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!file) {
      setError(new Error('Choose a .tar archive first'));
      return;
    }
    setError(null);
    setResult(null);
    setLoading(true);
    try {
      setResult(await client.images.load({ params: { host }, body: file }));
      setFile(null);
      if (input.current) input.current.value = '';
      void queries.invalidateQueries({ queryKey: keys.images(host) });
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };

  return (
    <>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={inputId}>Image archive (from docker save)</label>
          <input
            id={inputId}
            ref={input}
            type="file"
            accept=".tar,application/x-tar"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <Button type="submit" variant="primary" disabled={loading}>
          {loading ? 'Loading…' : 'Load'}
        </Button>
      </form>
      <ErrorNotice error={error} />
      {result && (
        <div role="status" data-testid="load-result">
          <Badge tone="good">loaded</Badge>{' '}
          {result.loaded.length === 0 ? (
            'the archive named no image'
          ) : (
            <ul className="plain inline" aria-label="Loaded images">
              {result.loaded.map((name) => (
                <li key={name}>
                  <code>{name}</code>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <CommandBlock command={result?.cli} />
    </>
  );
}
