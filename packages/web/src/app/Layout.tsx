import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { Outlet, useNavigate } from 'react-router';
import { client } from '../api/client.js';
import { useHostEvents } from '../api/live.js';
import { forgetPreferences, useLoadPreferences } from '../api/preferences.js';
import { useMe } from '../api/queries.js';
import { CommandPalette } from '../components/CommandPalette.js';
import { HostSwitcher } from './HostSwitcher.js';
import { NavDrawer } from './NavDrawer.js';
import { SideNav } from './SideNav.js';
import { TopBar } from './TopBar.js';
import { UserMenu } from './UserMenu.js';

/** The host every page shows until the host switcher offers more than one. */
export const HOST = 'local';

const COLLAPSED_KEY = 'berth.navCollapsed';

/** The side navigation's icons-only state, remembered in this browser. */
function useCollapsed(): [boolean, () => void] {
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem(COLLAPSED_KEY) === '1');
  const toggle = useCallback(() => {
    setCollapsed((was) => {
      localStorage.setItem(COLLAPSED_KEY, was ? '0' : '1');
      return !was;
    });
  }, []);
  return [collapsed, toggle];
}

/**
 * The frame of every signed-in page: the side navigation (a drawer on phones), the top bar
 * (host, search, preferences, user menu), the live connection, and the page.
 */
export function Layout() {
  const me = useMe();
  const connected = useHostEvents(HOST);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  useLoadPreferences();
  const [collapsed, toggleCollapsed] = useCollapsed();
  const [drawer, setDrawer] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const [palette, setPalette] = useState(false);
  const isAdmin = me.data?.effectiveRole === 'admin';
  const logout = async (): Promise<void> => {
    await client.auth.logout();
    queryClient.clear();
    forgetPreferences();
    void navigate('/login');
  };
  return (
    <div className={`shell${collapsed ? ' shell-collapsed' : ''}`}>
      <a href="#page-title" className="skip">
        Skip to content
      </a>
      <aside className="sidenav">
        <div className="sidenav-brand">
          <span className="brand-mark" aria-hidden>
            B
          </span>
          <strong className={collapsed ? 'sr-only' : 'brand'}>Berth</strong>
        </div>
        <SideNav isAdmin={isAdmin} collapsed={collapsed} onToggle={toggleCollapsed} />
      </aside>
      <div className="shell-main">
        <TopBar
          hostSwitcher={<HostSwitcher current={HOST} connected={connected} />}
          userMenu={
            <UserMenu
              username={me.data?.user.username ?? ''}
              role={me.data?.effectiveRole ?? ''}
              onLogout={() => void logout()}
            />
          }
          onOpenSearch={() => setPalette(true)}
          onOpenDrawer={() => setDrawer(true)}
          menuButton={menuButton}
        />
        {!connected && (
          <div className="banner" role="status">
            Live updates are reconnecting…
          </div>
        )}
        <Outlet />
      </div>
      <NavDrawer
        open={drawer}
        onOpenChange={setDrawer}
        isAdmin={isAdmin}
        returnFocus={menuButton}
      />
      <CommandPalette host={HOST} open={palette} onOpenChange={setPalette} />
    </div>
  );
}
