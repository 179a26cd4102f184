import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { ACTION_LABELS, type ContainerAction } from './container-actions.js';

/**
 * A menu button (WAI-ARIA menu pattern): Enter, Space or ArrowDown opens it on the first item,
 * arrows and Home/End move, Escape closes it back onto the button. Rendered into the body and
 * fixed under its button: the virtualised rows are transformed and clip their cells.
 */
export function ActionsMenu({
  label,
  actions,
  disabled,
  onAction,
}: {
  label: string;
  actions: ContainerAction[];
  disabled?: boolean;
  onAction: (action: ContainerAction) => void;
}) {
  const [open, setOpen] = useState(false);
  const [at, setAt] = useState({ top: 0, right: 0 });
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const away = (event: MouseEvent): void => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    // It stays where it opened: a scroll of the list would leave it beside another row.
    const scrolled = (event: Event): void => {
      if (!menu.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    document.addEventListener('scroll', scrolled, true);
    return () => {
      document.removeEventListener('mousedown', away);
      document.removeEventListener('scroll', scrolled, true);
    };
  }, [open]);

  const show = (): void => {
    const rect = button.current?.getBoundingClientRect();
    if (rect) setAt({ top: rect.bottom + 2, right: window.innerWidth - rect.right });
    setOpen(true);
  };
  const close = (): void => {
    setOpen(false);
    button.current?.focus();
  };
  const move = (event: KeyboardEvent<HTMLDivElement>): void => {
    const items = Array.from(
      menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [],
    );
    const index = items.indexOf(document.activeElement as HTMLElement);
    const go = (i: number): void => {
      event.preventDefault();
      items[(i + items.length) % items.length]?.focus();
    };
    if (event.key === 'ArrowDown') go(index + 1);
    else if (event.key === 'ArrowUp') go(index - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(items.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      close();
    } else if (event.key === 'Tab') setOpen(false);
  };

  return (
    <>
      <button
        ref={button}
        type="button"
        className="btn btn-small"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        disabled={disabled === true || actions.length === 0}
        onClick={() => (open ? setOpen(false) : show())}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            show();
          }
        }}
      >
        ⋯
      </button>
      {open &&
        createPortal(
          <div
            ref={menu}
            id={id}
            role="menu"
            aria-label={label}
            className="menu"
            style={{ position: 'fixed', top: at.top, right: at.right }}
            onKeyDown={move}
          >
            {actions.map((action) => (
              <button
                key={action}
                type="button"
                role="menuitem"
                tabIndex={-1}
                className={action === 'remove' || action === 'kill' ? 'danger' : undefined}
                onClick={() => {
                  close();
                  onAction(action);
                }}
              >
                {ACTION_LABELS[action]}
              </button>
            ))}
          </div>,
          document.body,
        )}
    </>
  );
}
