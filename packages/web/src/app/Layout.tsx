import type { Preferences } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { client } from '../api/client.js';
import { useHostEvents } from '../api/live.js';
import { useMe } from '../api/queries.js';
import {
  forgetPreferences,
  useLoadPreferences,
  usePreferences,
  useUpdatePreferences,
} from '../api/preferences.js';
import { CommandPalette } from '../components/CommandPalette.js';

export const HOST = 'local';

/** Light, dark, or whatever the system prefers (the default); kept per user. */
function ThemePicker() {
  const { theme } = usePreferences();
  const update = useUpdatePreferences();
  return (
    <select
      aria-label="Theme"
      value={theme}
      onChange={(e) => {
        update({ theme: e.target.value as Preferences['theme'] });
      }}
    >
      <option value="system">System theme</option>
      <option value="light">Light</option>
      <option value="dark">Dark</option>
    </select>
  );
}

/** The frame of every signed-in page: navigation, the live connection, the user menu. */
export function Layout() {
  const me = useMe();
  const connected = useHostEvents(HOST);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  useLoadPreferences();
  const { showCommands } = usePreferences();
  const updatePreferences = useUpdatePreferences();
  const logout = async (): Promise<void> => {
    await client.auth.logout();
    queryClient.clear();
    forgetPreferences();
    void navigate('/login');
  };
  return (
    <div className="shell">
      <a href="#page-title" className="skip">
        Skip to content
      </a>
      <header className="topbar">
        <strong className="brand">Berth</strong>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Dashboard
          </NavLink>
          <NavLink to="/containers">Containers</NavLink>
          <NavLink to="/images">Images</NavLink>
          <NavLink to="/networks">Networks</NavLink>
          <NavLink to="/volumes">Volumes</NavLink>
          <NavLink to="/system">System</NavLink>
          <NavLink to="/admin">{me.data?.effectiveRole === 'admin' ? 'Admin' : 'Account'}</NavLink>
        </nav>
        <div className="topbar-end">
          <ThemePicker />
          <label className="toggle">
            <input
              type="checkbox"
              checked={showCommands}
              onChange={(e) => updatePreferences({ showCommands: e.target.checked })}
            />{' '}
            Show commands
          </label>
          <span className="who" data-testid="current-user">
            {me.data?.user.username} ({me.data?.effectiveRole})
          </span>
          <button type="button" className="btn btn-small" onClick={() => void logout()}>
            Log out
          </button>
        </div>
      </header>
      {!connected && (
        <div className="banner" role="status">
          Live updates are reconnecting…
        </div>
      )}
      <CommandPalette host={HOST} />
      <Outlet />
    </div>
  );
}
