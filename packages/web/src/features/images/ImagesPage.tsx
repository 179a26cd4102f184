import type { ImageSummary } from '@berth/contract';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { useImages, useMe, useUpdates } from '../../api/queries.js';
import { HOST } from '../../app/Layout.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { StaleNotice } from '../../components/StaleNotice.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { ErrorNotice, Page } from '../../components/ui.js';
import { BuildImage } from './BuildImage.js';
import { ImageCard } from './ImageCard.js';
import { PruneImages } from './PruneImages.js';
import { PullImage } from './PullImage.js';
import { PushImage } from './PushImage.js';
import { RegistriesCard } from './RegistriesCard.js';
import { LoadImage } from './SaveLoadImage.js';

/**
 * Images: what is there and who uses it, with history, tagging and save; pull, push and build
 * with live output (transfers can be cancelled); load an archive; prune with a preview; and,
 * for admins, the registry credentials.
 */
export default function ImagesPage() {
  const images = useImages(HOST);
  const updates = useUpdates(HOST);
  const me = useMe();
  const canWrite = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const isAdmin = me.data?.effectiveRole === 'admin';
  const [removing, setRemoving] = useState<ImageSummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [cli, setCli] = useState<string | null>(null);

  const remove = async (): Promise<void> => {
    if (!removing) return;
    setError(null);
    try {
      const ref = removing.tags[0] ?? removing.id;
      const removed = await client.images.remove({
        params: { host: HOST, id: ref },
        query: { force: 'true' },
      });
      setCli(removed.cli);
    } catch (err) {
      setError(err);
    }
    setRemoving(null);
  };
  const updateAvailable = (image: ImageSummary): boolean =>
    image.tags.some(
      (tag) => updates.data?.find((u) => u.image === tag)?.status === 'update-available',
    );
  const removingName = removing ? (removing.tags[0] ?? removing.shortId) : '';

  return (
    <Page title="Images">
      <StaleNotice kind="images" host={HOST} />
      {canWrite && (
        <div className="grid wide">
          <PullImage />
          <PushImage />
          <LoadImage />
          <PruneImages />
        </div>
      )}
      {canWrite && <BuildImage />}
      {isAdmin && <RegistriesCard />}
      <ErrorNotice error={error ?? images.error} />
      <CommandBlock command={cli} />
      <div className="grid">
        {(images.data ?? []).map((image) => (
          <ImageCard
            key={image.id}
            image={image}
            updateAvailable={updateAvailable(image)}
            canWrite={canWrite}
            onRemove={setRemoving}
          />
        ))}
      </div>
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removingName}?`}
        confirmLabel="Remove"
        onConfirm={() => void remove()}
        onCancel={() => setRemoving(null)}
      >
        {removing && removing.tags.length > 1 ? (
          <p>
            Only the tag <code>{removingName}</code> goes; the image stays under{' '}
            {removing.tags.slice(1).join(', ')}.
          </p>
        ) : (
          <p>
            The image <code>{removingName}</code> ({removing?.shortId}) is deleted from this host.
          </p>
        )}
        {removing && removing.usedBy.length > 0 && (
          <p>Containers using it keep running: {removing.usedBy.map((u) => u.name).join(', ')}.</p>
        )}
      </ConfirmDialog>
    </Page>
  );
}
