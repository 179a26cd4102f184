import type { ImageSummary } from '@berth/contract';
import { Download, Info, MoreHorizontal, Tag, Trash2, Upload } from 'lucide-react';
import { useCurrentHost } from '../../app/host-paths.js';
import { Menu, type MenuItem } from '../../components/Menu.js';
import { age, longTime } from '../../components/time.js';
import { Badge, formatBytes } from '../../components/ui.js';
import { imageName } from './image-list.js';
import { downloadSaved } from './SaveLoadImage.js';

interface RowActions {
  /** `tagging`: open on the add-a-tag form. */
  onDetails: (image: ImageSummary, tagging?: boolean) => void;
  onPush: (image: ImageSummary) => void;
  onRemove: (image: ImageSummary) => void;
}

function ImageRow({
  image,
  canWrite,
  updateAvailable,
  onDetails,
  onPush,
  onRemove,
}: RowActions & { image: ImageSummary; canWrite: boolean; updateAvailable: boolean }) {
  const host = useCurrentHost();
  const name = imageName(image);
  const items: MenuItem[] = [
    {
      label: 'Details and history',
      icon: <Info size={16} aria-hidden />,
      onSelect: () => onDetails(image),
    },
  ];
  if (canWrite) {
    items.push(
      {
        label: 'Add a tag…',
        icon: <Tag size={16} aria-hidden />,
        onSelect: () => onDetails(image, true),
      },
      {
        label: 'Push…',
        icon: <Upload size={16} aria-hidden />,
        disabled: image.tags.length === 0,
        onSelect: () => onPush(image),
      },
      {
        label: 'Save as tar',
        icon: <Download size={16} aria-hidden />,
        onSelect: () => downloadSaved(host, image),
      },
      {
        label: 'Remove…',
        icon: <Trash2 size={16} aria-hidden />,
        danger: true,
        onSelect: () => onRemove(image),
      },
    );
  }
  const users = image.usedBy.map((u) => u.name).join(', ');
  return (
    <tr data-testid="image-row" data-id={image.id}>
      <td className="image-name">
        <button type="button" className="linklike" onClick={() => onDetails(image)}>
          {name}
        </button>
        {image.tags.slice(1).map((tag) => (
          <span key={tag} className="image-tag muted">
            {tag}
          </span>
        ))}
        <span className="image-badges">
          {image.dangling && <Badge tone="warn">dangling</Badge>}
          {image.unused && <Badge>unused</Badge>}
          {updateAvailable && <Badge tone="info">update available</Badge>}
        </span>
      </td>
      <td className="c-id">
        <code>{image.shortId}</code>
      </td>
      <td className="c-num">{formatBytes(image.size)}</td>
      <td className="c-created" title={longTime.format(new Date(image.created))}>
        {age(image.created)}
      </td>
      <td className="c-used" title={users || undefined}>
        {image.usedBy.length === 0
          ? '—'
          : `${image.usedBy.length} container${image.usedBy.length === 1 ? '' : 's'}`}
      </td>
      <td className="c-actions">
        <Menu
          label={`Actions for ${name}`}
          trigger={<MoreHorizontal size={16} aria-hidden />}
          items={items}
        />
      </td>
    </tr>
  );
}

/** The images as rows: name and tags with badges, id, size, age, users, and a menu each. */
export function ImageTable({
  images,
  canWrite,
  updateAvailable,
  ...actions
}: RowActions & {
  images: ImageSummary[];
  canWrite: boolean;
  updateAvailable: (image: ImageSummary) => boolean;
}) {
  return (
    <div className="image-table-wrap">
      <table className="image-table" aria-label="Images">
        <thead>
          <tr>
            <th scope="col">Image</th>
            <th scope="col" className="c-id">
              ID
            </th>
            <th scope="col" className="c-num">
              Size
            </th>
            <th scope="col" className="c-created">
              Created
            </th>
            <th scope="col" className="c-used">
              Used by
            </th>
            <th scope="col" className="c-actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {images.map((image) => (
            <ImageRow
              key={image.id}
              image={image}
              canWrite={canWrite}
              updateAvailable={updateAvailable(image)}
              {...actions}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
