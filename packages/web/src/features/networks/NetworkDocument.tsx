import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { ErrorNotice } from '../../components/ui.js';
import { renderMarkdown } from './markdown.js';

/**
 * The host's network document, rendered in the page (loaded only when asked for), with its
 * Markdown to download. Given a network, it opens at that network's section.
 */
export default function NetworkDocument({ focus }: { focus: string | null }) {
  const host = useCurrentHost();
  const doc = useQuery({
    queryKey: ['networks', host, 'document'],
    queryFn: async () => (await client.networks.document({ params: { host } })).text(),
  });
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (doc.data === undefined || focus === null) return;
    const heading = [...(box.current?.querySelectorAll('h3') ?? [])].find(
      (h) => h.textContent === `Network ${focus}`,
    );
    heading?.scrollIntoView({ block: 'start' });
  }, [doc.data, focus]);
  return (
    <>
      <p>
        <a
          className="btn"
          href={client.networks.document.url({ params: { host } })}
          download={`networks-${host}.md`}
        >
          Download Markdown
        </a>
      </p>
      <div className="network-document" data-testid="network-document" ref={box}>
        <ErrorNotice error={doc.error} />
        {doc.data === undefined ? <p className="muted">Loading…</p> : renderMarkdown(doc.data)}
      </div>
    </>
  );
}
