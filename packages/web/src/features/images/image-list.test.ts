import type { ImageSummary } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { filterImages, type ImageFilter, type ImageSort } from './image-list.js';

const image = (over: Partial<ImageSummary> & { id: string }): ImageSummary => ({
  shortId: over.id.replace(/^sha256:/, '').slice(0, 12),
  tags: [],
  digests: [],
  size: 1,
  created: '2026-01-01T00:00:00.000Z',
  usedBy: [],
  dangling: false,
  unused: false,
  previousTags: [],
  labels: {},
  ...over,
});

const web = image({
  id: 'sha256:aaaa1111',
  tags: ['nginx:1.27', 'registry.local:5000/web:1'],
  size: 300,
  created: '2026-03-01T00:00:00.000Z',
  usedBy: [{ id: 'c1', name: 'web-1', state: 'running' }],
});
const tool = image({
  id: 'sha256:bbbb2222',
  tags: ['alpine:3'],
  size: 10,
  created: '2026-05-01T00:00:00.000Z',
  unused: true,
});
const orphan = image({ id: 'sha256:cccc3333', dangling: true, unused: true, size: 50 });
const all = [orphan, tool, web];

const names = (
  search: string,
  filter: ImageFilter = '',
  sort: ImageSort = 'name',
  update = (i: ImageSummary) => i === tool,
) => filterImages(all, { search, filter, sort, updateAvailable: update }).map((i) => i.id);

describe('filterImages', () => {
  it('finds an image by any of its tags, case-insensitively, and by its id or id prefix', () => {
    expect(names('WEB:1')).toEqual([web.id]);
    expect(names('nginx')).toEqual([web.id]);
    expect(names('bbbb')).toEqual([tool.id]);
    expect(names('sha256:cccc33')).toEqual([orphan.id]);
    // An id matches from its start only: "1111" is inside no tag and starts no id.
    expect(names('1111')).toEqual([]);
  });

  it('filters to in use, unused, dangling or update available', () => {
    expect(names('', 'in-use')).toEqual([web.id]);
    expect(names('', 'unused')).toEqual([tool.id, orphan.id]);
    expect(names('', 'dangling')).toEqual([orphan.id]);
    expect(names('', 'update')).toEqual([tool.id]);
  });

  it('sorts by name with dangling images last, by size largest first, by creation newest first', () => {
    expect(names('')).toEqual([tool.id, web.id, orphan.id]);
    expect(names('', '', 'size')).toEqual([web.id, orphan.id, tool.id]);
    expect(names('', '', 'created')).toEqual([tool.id, web.id, orphan.id]);
  });
});
