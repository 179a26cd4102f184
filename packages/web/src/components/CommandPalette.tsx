import type { FleetSearchResult } from '@berth/contract';
import { useMemo, useState } from 'react';
import { useFleetSearch } from '../api/fleet.js';
import { useContainers, useHosts, useImages, useNetworks, useVolumes } from '../api/queries.js';
import { hostPath } from '../app/host-paths.js';
import { PaletteDialog, type PaletteItem } from './PaletteDialog.js';
import { useDebounced } from './useDebounced.js';

/** The pages to jump to: a host's sections lead to the current host's pages. */
const pagesOf = (host: string): PaletteItem[] => [
  { label: 'Dashboard', kind: 'page', to: '/' },
  ...[
    'Containers:containers',
    'Create container:containers/new',
    'Stacks:stacks',
    'Images:images',
    'Networks:networks',
    'Volumes:volumes',
    'System:system',
  ].map((p): PaletteItem => {
    const [label = '', rest = ''] = p.split(':');
    return { label, kind: 'page', to: hostPath(host, rest) };
  }),
  { label: 'Hosts', kind: 'page', to: '/hosts' },
  { label: 'Admin', kind: 'page', to: '/admin' },
];
const FLEET_PAGES: PaletteItem[] = [
  { label: 'All hosts: containers', kind: 'page', to: '/fleet/containers' },
  { label: 'All hosts: images', kind: 'page', to: '/fleet/images' },
  { label: 'All hosts: volumes', kind: 'page', to: '/fleet/volumes' },
];

const pagesMatching = (pages: PaletteItem[], text: string): PaletteItem[] =>
  pages.filter((p) => p.label.toLowerCase().includes(text.toLowerCase()));

interface PaletteProps {
  host: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

/**
 * Ctrl/Cmd-K (or the top bar's search button): jump to any page, container, image, network or
 * volume by typing part of its name. A user who sees several hosts searches all of them; one
 * who sees one host searches its lists as they are already loaded.
 */
export function CommandPalette(props: PaletteProps) {
  const manyHosts = (useHosts().data?.length ?? 0) > 1;
  return manyHosts ? <FleetPalette {...props} /> : <HostPalette {...props} />;
}

/** One host: its lists, filtered here as the user types. */
function HostPalette({ host, open, onOpenChange }: PaletteProps) {
  const [text, setText] = useState('');
  const containers = useContainers(host);
  const images = useImages(host);
  const networks = useNetworks(host);
  const volumes = useVolumes(host);
  const items = useMemo(() => {
    const all: PaletteItem[] = [
      ...pagesOf(host),
      ...(containers.data ?? []).map((c) => ({
        label: c.name,
        kind: 'container',
        to: hostPath(host, `containers/${c.id}`),
      })),
      ...(images.data ?? []).map((i) => ({
        label: i.tags[0] ?? i.shortId,
        kind: 'image',
        to: hostPath(host, 'images'),
      })),
      ...(networks.data ?? []).map((n) => ({
        label: n.name,
        kind: 'network',
        to: hostPath(host, 'networks'),
      })),
      ...(volumes.data ?? []).map((v) => ({
        label: v.name,
        kind: 'volume',
        to: hostPath(host, 'volumes'),
      })),
    ];
    const q = text.toLowerCase();
    return all.filter((i) => i.label.toLowerCase().includes(q)).slice(0, 12);
  }, [host, containers.data, images.data, networks.data, volumes.data, text]);
  return (
    <PaletteDialog
      open={open}
      onOpenChange={onOpenChange}
      text={text}
      onTextChange={setText}
      items={items}
      placeholder="Go to a page, container, image, network, volume…"
    />
  );
}

type FleetMatch = FleetSearchResult['results'][number];

/** Where a match opens: on its own host. */
function fleetTarget(match: FleetMatch): string {
  switch (match.kind) {
    case 'container':
      return hostPath(match.host, `containers/${encodeURIComponent(match.id)}`);
    case 'stack':
      return hostPath(match.host, `stacks/${encodeURIComponent(match.id)}`);
    case 'image':
      return hostPath(match.host, 'images');
    case 'volume':
      return hostPath(match.host, 'volumes');
    case 'network':
      return hostPath(match.host, 'networks');
  }
}

/** Several hosts: the server searches them all (asked once the typing pauses). */
function FleetPalette({ host, open, onOpenChange }: PaletteProps) {
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 200);
  const search = useFleetSearch(q, open);
  const results = q === '' ? undefined : search.data?.results;
  const items = useMemo(() => {
    const pages = pagesMatching([...pagesOf(host), ...FLEET_PAGES], text);
    const found: PaletteItem[] = (results ?? []).map((r) => ({
      label: r.name,
      kind: r.kind,
      host: r.host,
      detail: r.detail,
      to: fleetTarget(r),
    }));
    // The pages only while nothing is typed, or when they are what is typed.
    return (text.trim() === '' ? pages : [...found, ...pages]).slice(0, 20);
  }, [host, results, text]);
  return (
    <PaletteDialog
      open={open}
      onOpenChange={onOpenChange}
      text={text}
      onTextChange={setText}
      items={items}
      busy={q !== text.trim() || search.isFetching}
      placeholder="Find a container, image, volume, network or stack on any host…"
    />
  );
}
