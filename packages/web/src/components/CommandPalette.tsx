import {
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
} from 'react';
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

/**
 * Ctrl/Cmd-K (or the top bar's search button): jump to any page, container, image, network or
 * volume by typing part of its name. The frame owns whether it is open.
 */
export function CommandPalette({
  host,
  open,
  onOpenChange: setOpen,
}: {
  host: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const [text, setText] = useState('');
  const [index, setIndex] = useState(0);
  const dialog = useRef<HTMLDialogElement>(null);
  const listId = useId();
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
  }, [setOpen]);
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

  const optionId = (i: number): string => `${listId}-${i}`;
  const onKeyDown = (e: ReactKeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter') {
      go(items[index]);
      return;
    }
    if (e.key === 'ArrowDown') setIndex((i) => Math.min(i + 1, items.length - 1));
    else if (e.key === 'ArrowUp') setIndex((i) => Math.max(i - 1, 0));
    else if (e.key !== 'Tab') return;
    // The arrows move the active option, not the caret. Tab stays in the box, the palette's
    // only stop: a modal keeps focus inside, and Escape (the dialog's own) is the way out.
    e.preventDefault();
  };

  // A combobox: focus stays in the box, the arrows move the active option, Enter goes there.
  // The options are not buttons: a control inside an option would be a second, hidden stop.
  return (
    <dialog
      ref={dialog}
      className="dialog palette"
      aria-label="Go to"
      onClose={() => setOpen(false)}
    >
      <input
        autoFocus
        role="combobox"
        aria-label="Go to"
        aria-expanded={items.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={items[index] ? optionId(index) : undefined}
        placeholder="Go to a page, container, image, network, volume…"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setIndex(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" aria-label="Matches" className="plain">
        {items.map((item, i) => (
          <li
            key={`${item.kind}-${item.to}-${item.label}`}
            id={optionId(i)}
            role="option"
            aria-selected={i === index}
            className="palette-item"
            onClick={() => go(item)}
          >
            <span className="muted">{item.kind}</span> {item.label}
          </li>
        ))}
      </ul>
    </dialog>
  );
}
