import {
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
} from 'react';
import { useNavigate } from 'react-router';

export interface PaletteItem {
  label: string;
  kind: string;
  to: string;
  /** The host it is on, when the palette searches several. */
  host?: string;
  /** What tells two of the same name apart, e.g. a container's image and state. */
  detail?: string;
}

/**
 * The palette's dialog: a combobox over the items its owner found for the text. Ctrl/Cmd-K
 * opens it; the frame owns whether it is open.
 */
export function PaletteDialog({
  open,
  onOpenChange: setOpen,
  text,
  onTextChange: setText,
  items,
  placeholder,
  busy = false,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  text: string;
  onTextChange: (text: string) => void;
  items: PaletteItem[];
  placeholder: string;
  /** Matches are still on their way (a search across hosts). */
  busy?: boolean;
}) {
  const [index, setIndex] = useState(0);
  const dialog = useRef<HTMLDialogElement>(null);
  const listId = useId();
  const navigate = useNavigate();

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
  // The list changed under the active option (an answer came): start from the best match.
  useEffect(() => setIndex(0), [items]);

  const go = (item: PaletteItem | undefined): void => {
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
        aria-busy={busy}
        placeholder={placeholder}
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
            key={`${item.kind}-${item.host ?? ''}-${item.to}-${item.label}`}
            id={optionId(i)}
            role="option"
            aria-selected={i === index}
            className="palette-item"
            onClick={() => go(item)}
          >
            <span className="muted">{item.kind}</span> {item.label}
            {item.detail !== undefined && <span className="muted"> · {item.detail}</span>}
            {item.host !== undefined && <span className="muted palette-host"> on {item.host}</span>}
          </li>
        ))}
      </ul>
    </dialog>
  );
}
