import { Menu as MenuIcon, Search } from 'lucide-react';
import type { ReactNode, RefObject } from 'react';
import { ShowCommandsToggle, ThemePicker } from './Preferences.js';

/** "⌘K" on a Mac, "Ctrl K" elsewhere: what opens the command palette. */
const SHORTCUT = /Mac|iPhone|iPad/.test(navigator.userAgent) ? '⌘K' : 'Ctrl K';

/**
 * The bar over every page: the drawer's button (phones), the host, global search, the display
 * preferences (in the drawer on phones) and the user menu. One row, never taller than 64 px.
 */
export function TopBar({
  hostSwitcher,
  userMenu,
  onOpenSearch,
  onOpenDrawer,
  menuButton,
}: {
  hostSwitcher: ReactNode;
  userMenu: ReactNode;
  onOpenSearch: () => void;
  onOpenDrawer: () => void;
  /** The drawer gives focus back to this button when it closes. */
  menuButton: RefObject<HTMLButtonElement | null>;
}) {
  return (
    <header className="topbar">
      <button
        type="button"
        ref={menuButton}
        className="btn-icon topbar-menu"
        aria-label="Open navigation"
        onClick={onOpenDrawer}
      >
        <MenuIcon size={20} aria-hidden />
      </button>
      <strong className="brand topbar-brand">Berth</strong>
      {hostSwitcher}
      <button
        type="button"
        className="search-button"
        aria-keyshortcuts="Control+K Meta+K"
        onClick={onOpenSearch}
      >
        <Search size={16} aria-hidden />
        <span className="search-label">Search…</span> <kbd className="search-kbd">{SHORTCUT}</kbd>
      </button>
      <div className="topbar-end">
        <div className="topbar-prefs">
          <ThemePicker />
          <ShowCommandsToggle />
        </div>
        {userMenu}
      </div>
    </header>
  );
}
