import type { ImageSummary } from '@berth/contract';

export type ImageFilter = '' | 'in-use' | 'unused' | 'dangling' | 'update';
export type ImageSort = 'name' | 'size' | 'created';

/** What a row is called: its first tag, or its short id when it has none. */
export const imageName = (image: ImageSummary): string => image.tags[0] ?? image.shortId;

const bare = (id: string): string => id.replace(/^sha256:/, '');

/** Whether a search (already lower case) finds the image: any tag, the id or a prefix of it. */
function matches(image: ImageSummary, query: string): boolean {
  if (!query) return true;
  const id = bare(query);
  return (
    image.tags.some((tag) => tag.toLowerCase().includes(query)) ||
    (id.length > 0 && bare(image.id).startsWith(id))
  );
}

function keep(image: ImageSummary, filter: ImageFilter, updateAvailable: boolean): boolean {
  switch (filter) {
    case 'in-use':
      return image.usedBy.length > 0;
    case 'unused':
      return image.unused;
    case 'dangling':
      return image.dangling;
    case 'update':
      return updateAvailable;
    case '':
      return true;
  }
}

/**
 * The rows the toolbar asks for: searched by repository:tag or id, filtered, sorted by name (tagged
 * before dangling), size (largest first) or creation (newest first).
 */
export function filterImages(
  images: readonly ImageSummary[],
  options: {
    search: string;
    filter: ImageFilter;
    sort: ImageSort;
    updateAvailable: (image: ImageSummary) => boolean;
  },
): ImageSummary[] {
  const query = options.search.trim().toLowerCase();
  const rows = images.filter(
    (image) => matches(image, query) && keep(image, options.filter, options.updateAvailable(image)),
  );
  const byName = (a: ImageSummary, b: ImageSummary): number =>
    Number(a.dangling) - Number(b.dangling) || imageName(a).localeCompare(imageName(b));
  return rows.sort((a, b) => {
    if (options.sort === 'size') return b.size - a.size || byName(a, b);
    if (options.sort === 'created') return b.created.localeCompare(a.created) || byName(a, b);
    return byName(a, b);
  });
}
