import * as RadixDialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import type { RefObject } from 'react';
import { SideNav } from './SideNav.js';
import { ShowCommandsToggle, ThemePicker } from './Preferences.js';

/**
 * The navigation on a phone: a panel from the left edge (Radix: focus trap, Escape, focus back
 * on the menu button). Following a link closes it. The display preferences live here too, as
 * the phone's top bar has no room for them.
 */
export function NavDrawer({
  open,
  onOpenChange,
  isAdmin,
  returnFocus,
}: {
  returnFocus: RefObject<HTMLButtonElement | null>;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  isAdmin: boolean;
}) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="overlay" />
        <RadixDialog.Content
          className="drawer"
          aria-describedby={undefined}
          onCloseAutoFocus={(event) => {
            // Opened from a button outside a Radix trigger: put focus back on it by hand.
            event.preventDefault();
            returnFocus.current?.focus();
          }}
        >
          <header className="drawer-head">
            <RadixDialog.Title className="brand">Berth</RadixDialog.Title>
            <RadixDialog.Close className="btn-icon" aria-label="Close navigation">
              <X size={20} aria-hidden />
            </RadixDialog.Close>
          </header>
          <SideNav isAdmin={isAdmin} onNavigate={() => onOpenChange(false)} />
          <div className="drawer-prefs">
            <ThemePicker />
            <ShowCommandsToggle />
          </div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
