import { useQuery } from '@tanstack/react-query';
import { client } from '../../api/client.js';
import { HOST } from '../../app/Layout.js';
import { ErrorNotice } from '../../components/ui.js';
import { renderMarkdown } from './markdown.js';

/** The host's network document, rendered in the page (loaded only when asked for). */
export default function NetworkDocument() {
  const doc = useQuery({
    queryKey: ['networks', HOST, 'document'],
    queryFn: async () => (await client.networks.document({ params: { host: HOST } })).text(),
  });
  return (
    <div className="network-document" data-testid="network-document">
      <ErrorNotice error={doc.error} />
      {doc.data === undefined ? <p className="muted">Loading…</p> : renderMarkdown(doc.data)}
    </div>
  );
}
