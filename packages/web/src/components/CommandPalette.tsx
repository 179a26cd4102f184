import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useContainers, useImages, useNetworks, useVolumes } from '../api/queries.js';

interface Item {
  label: string;
  kind: string;
  to: string;
}

const PAGES: Item[] = [
  'Dashboard:/',
  'Containers:/containers',
  'Create container:/containers/new',
  'Images:/images',
  'Networks:/networks',
  'Volumes:/volumes',
  'System:/system',
  'Admin:/admin',
].map((p) => {
  const [label = '', to = '/'] = p.split(':');
  return { label, kind: 'page', to };
});

/** Ctrl/Cmd-K: jump to any page, container, image, network or volume by typing part of its name. */
export function CommandPalette({ host }: { host: string }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [index, setIndex] = useState(0);
  const dialog = useRef<HTMLDialogElement>(null);
  const navigate = useNavigate();
  const containers = useContainers(host);
  const images = useImages(host);
  const networks = useNetworks(host);
  const volumes = useVolumes(host);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => {
    const d = dialog.current;
    if (open && d && !d.open) d.showModal();
    if (!open && d?.open) d.close();
  }, [open]);

  const items = useMemo(() => {
    const all: Item[] = [
      ...PAGES,
      ...(containers.data ?? []).map((c) => ({
        label: c.name,
        kind: 'container',
        to: `/containers/${c.id}`,
      })),
      ...(images.data ?? []).map((i) => ({
        label: i.tags[0] ?? i.shortId,
        kind: 'image',
        to: '/images',
      })),
      ...(networks.data ?? []).map((n) => ({ label: n.name, kind: 'network', to: '/networks' })),
      ...(volumes.data ?? []).map((v) => ({ label: v.name, kind: 'volume', to: '/volumes' })),
    ];
    const q = text.toLowerCase();
    return all.filter((i) => i.label.toLowerCase().includes(q)).slice(0, 12);
  }, [containers.data, images.data, networks.data, volumes.data, text]);

  const go = (item: Item | undefined): void => {
    if (!item) return;
    setOpen(false);
    setText('');
    void navigate(item.to);
  };

  return (
    <dialog
      ref={dialog}
      className="dialog palette"
      aria-label="Go to"
      onClose={() => setOpen(false)}
    >
      <input
        autoFocus
        aria-label="Go to"
        placeholder="Go to a page, container, image, network, volume…"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setIndex((i) => Math.min(i + 1, items.length - 1));
          if (e.key === 'ArrowUp') setIndex((i) => Math.max(i - 1, 0));
          if (e.key === 'Enter') go(items[index]);
        }}
      />
      <ul role="listbox" className="plain">
        {items.map((item, i) => (
          <li
            key={`${item.kind}-${item.to}-${item.label}`}
            role="option"
            aria-selected={i === index}
          >
            <button type="button" className="palette-item" onClick={() => go(item)}>
              <span className="muted">{item.kind}</span> {item.label}
            </button>
          </li>
        ))}
      </ul>
    </dialog>
  );
}
