import type { ImageSummary } from '@berth/contract';
import { Download, Hammer, KeyRound, Trash2, Upload } from 'lucide-react';
import { useMemo, useState, type ComponentProps, type ReactNode } from 'react';
import { client } from '../../api/client.js';
import { useImages, useMe, useUpdates } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Dialog } from '../../components/Dialog.js';
import { StaleNotice } from '../../components/StaleNotice.js';
import { Button, ErrorNotice, Page } from '../../components/ui.js';
import { BuildImage } from './BuildImage.js';
import { ImageDetails } from './ImageDetails.js';
import { ImageTable } from './ImageTable.js';
import { filterImages, type ImageFilter, type ImageSort } from './image-list.js';
import { useImageTransfer } from './image-transfer.js';
import { PruneImages } from './PruneImages.js';
import { PullImage } from './PullImage.js';
import { PushImage } from './PushImage.js';
import { Registries } from './Registries.js';
import { LoadImage } from './SaveLoadImage.js';
import './images.css';

/** A secondary header action: its icon, and a label that phones leave to the accessible name. */
function HeaderButton({
  icon,
  label,
  ...button
}: ComponentProps<typeof Button> & { icon: ReactNode; label: string }) {
  // The dialog's trigger passes its handlers and ref through `button`.
  return (
    <Button {...button} aria-label={label} title={label}>
      {icon}
      <span className="btn-label">{label}</span>
    </Button>
  );
}

/**
 * Images: the list first (search, filter, sort; per image details with history and tagging,
 * push, save and remove); pull, build, load, prune and the registries open in dialogs and side
 * panels from the header.
 */
export default function ImagesPage() {
  const host = useCurrentHost();
  const images = useImages(host);
  const updates = useUpdates(host);
  const me = useMe();
  const canWrite = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const isAdmin = me.data?.effectiveRole === 'admin';
  const pull = useImageTransfer('pull');
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<ImageFilter>('');
  const [sort, setSort] = useState<ImageSort>('name');
  const [details, setDetails] = useState<{ id: string; tagging: boolean } | null>(null);
  const [pushing, setPushing] = useState<ImageSummary | null>(null);
  const [removing, setRemoving] = useState<ImageSummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [cli, setCli] = useState<string | null>(null);

  const updateAvailable = useMemo(() => {
    const available = new Set(
      (updates.data ?? []).filter((u) => u.status === 'update-available').map((u) => u.image),
    );
    return (image: ImageSummary): boolean => image.tags.some((tag) => available.has(tag));
  }, [updates.data]);
  const rows = useMemo(
    () => filterImages(images.data ?? [], { search, filter, sort, updateAvailable }),
    [images.data, search, filter, sort, updateAvailable],
  );
  // The details follow the live list: a tag added there shows at once; a removed image closes them.
  const shown = (images.data ?? []).find((image) => image.id === details?.id) ?? null;

  const remove = async (): Promise<void> => {
    if (!removing) return;
    setError(null);
    try {
      const ref = removing.tags[0] ?? removing.id;
      const removed = await client.images.remove({
        params: { host, id: ref },
        query: { force: 'true' },
      });
      setCli(removed.cli);
    } catch (err) {
      setError(err);
    }
    setRemoving(null);
  };
  const removingName = removing ? (removing.tags[0] ?? removing.shortId) : '';
  const pushingName = pushing?.tags[0] ?? '';

  const actions = canWrite && (
    <>
      <Dialog
        title="Pull image"
        description="From Docker Hub or any registry; stored credentials are used for their host."
        wide
        trigger={
          <Button variant="primary">
            <Download size={16} aria-hidden /> Pull image
          </Button>
        }
      >
        <PullImage pull={pull} />
      </Dialog>
      <Dialog
        title="Build image"
        side
        trigger={<HeaderButton icon={<Hammer size={16} aria-hidden />} label="Build image" />}
      >
        <BuildImage />
      </Dialog>
      <Dialog
        title="Load image"
        trigger={<HeaderButton icon={<Upload size={16} aria-hidden />} label="Load image" />}
      >
        <LoadImage />
      </Dialog>
      <PruneImages
        trigger={<HeaderButton icon={<Trash2 size={16} aria-hidden />} label="Prune images" />}
      />
      {isAdmin && (
        <Dialog
          title="Registries"
          description="Credentials for pulls, pushes and update checks. Passwords never come back."
          side
          trigger={<HeaderButton icon={<KeyRound size={16} aria-hidden />} label="Registries" />}
        >
          <Registries />
        </Dialog>
      )}
    </>
  );

  return (
    <Page title="Images" actions={actions}>
      <div className="filters" role="search">
        <input
          className="images-search"
          type="search"
          placeholder="Search tag or id"
          aria-label="Search images"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <select
          aria-label="Show"
          value={filter}
          onChange={(e) => setFilter(e.target.value as ImageFilter)}
        >
          <option value="">All images</option>
          <option value="in-use">In use</option>
          <option value="unused">Unused</option>
          <option value="dangling">Dangling</option>
          <option value="update">Update available</option>
        </select>
        <select
          aria-label="Sort by"
          value={sort}
          onChange={(e) => setSort(e.target.value as ImageSort)}
        >
          <option value="name">Name</option>
          <option value="size">Largest</option>
          <option value="created">Newest</option>
        </select>
        <span className="muted" role="status" data-testid="images-count">
          {images.data
            ? `${rows.length} of ${images.data.length} image${images.data.length === 1 ? '' : 's'}`
            : 'Loading…'}
        </span>
      </div>
      <StaleNotice kind="images" host={host} />
      <ErrorNotice error={error ?? images.error} />
      <CommandBlock command={cli} />
      <ImageTable
        images={rows}
        canWrite={canWrite}
        updateAvailable={updateAvailable}
        onDetails={(image, tagging = false) => setDetails({ id: image.id, tagging })}
        onPush={setPushing}
        onRemove={setRemoving}
      />
      {images.data && rows.length === 0 && (
        <p className="muted images-empty">
          {images.data.length === 0 ? 'No images on this host yet.' : 'No image matches.'}
        </p>
      )}
      <Dialog
        title={shown ? (shown.tags[0] ?? shown.shortId) : 'Image'}
        wide
        open={shown !== null}
        onOpenChange={(open) => !open && setDetails(null)}
      >
        {shown && (
          <ImageDetails
            image={shown}
            canWrite={canWrite}
            tagging={details?.tagging ?? false}
            updates={(updates.data ?? []).filter((u) => shown.tags.includes(u.image))}
          />
        )}
      </Dialog>
      <Dialog
        title={`Push ${pushingName}`}
        wide
        open={pushing !== null}
        onOpenChange={(open) => !open && setPushing(null)}
      >
        {pushing && <PushImage image={pushing} />}
      </Dialog>
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
