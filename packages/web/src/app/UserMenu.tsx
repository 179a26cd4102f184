import * as RadixMenu from '@radix-ui/react-dropdown-menu';
import { ChevronDown, LogOut, UserRound } from 'lucide-react';
import { Link } from 'react-router';

/** Who is signed in, with their account page and the way out. */
export function UserMenu({
  username,
  role,
  onLogout,
}: {
  username: string;
  role: string;
  onLogout: () => void;
}) {
  return (
    <RadixMenu.Root modal={false}>
      {/* Named by its visible text (axe: the name contains what is shown); on a phone the name
          is visually hidden. */}
      <RadixMenu.Trigger className="user-trigger">
        <span className="avatar" aria-hidden>
          <UserRound size={16} />
        </span>
        <span className="sr-only">User menu: </span>
        <span className="who" data-testid="current-user">
          {username} <span className="muted">({role})</span>
        </span>
        <ChevronDown size={14} aria-hidden className="muted who-chevron" />
      </RadixMenu.Trigger>
      <RadixMenu.Portal>
        <RadixMenu.Content className="menu" align="end" sideOffset={4}>
          <RadixMenu.Label className="menu-label">
            <strong>{username}</strong>
            <span className="muted"> · {role}</span>
          </RadixMenu.Label>
          <RadixMenu.Separator className="menu-separator" />
          <RadixMenu.Item className="menu-item" asChild>
            <Link to="/admin">
              <UserRound size={16} aria-hidden />
              Account
            </Link>
          </RadixMenu.Item>
          <RadixMenu.Item className="menu-item" onSelect={onLogout}>
            <LogOut size={16} aria-hidden />
            Log out
          </RadixMenu.Item>
        </RadixMenu.Content>
      </RadixMenu.Portal>
    </RadixMenu.Root>
  );
}
