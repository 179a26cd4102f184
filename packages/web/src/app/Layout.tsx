import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useCallback, useRef, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { client } from '../api/client.js';
import { useHostEvents } from '../api/live.js';
import { forgetPreferences, useLoadPreferences } from '../api/preferences.js';
import { useHosts, useMe } from '../api/queries.js';
import { CommandPalette } from '../components/CommandPalette.js';
import { rememberHost, switchHostPath, useCurrentHost } from './host-paths.js';
import { HostSwitcher } from './HostSwitcher.js';
import { PageLoadBoundary } from './lazy-page.js';
import { NavDrawer } from './NavDrawer.js';
import { SideNav } from './SideNav.js';
import { TopBar } from './TopBar.js';
import { UserMenu } from './UserMenu.js';

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
  const hosts = useHosts();
  const host = useCurrentHost();
  const known = hosts.data?.some((h) => h.id === host) ?? false;
  // The live events follow the host shown: switching hosts switches the stream.
  const connected = useHostEvents(known ? host : null);
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const switchHost = (next: string): void => {
    rememberHost(next);
    void navigate(switchHostPath(pathname, next));
  };
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
          hostSwitcher={
            <HostSwitcher
              current={host}
              hosts={hosts.data ?? []}
              connected={connected || !known}
              onSelect={switchHost}
              onAllHosts={() => void navigate('/fleet/containers')}
            />
          }
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
        {known && !connected && (
          <div className="banner" role="status">
            Live updates are reconnecting…
          </div>
        )}
        {/* A page loading its code keeps the frame on screen. */}
        <PageLoadBoundary key={pathname}>
          <Suspense fallback={<p className="loading">Loading…</p>}>
            <Outlet />
          </Suspense>
        </PageLoadBoundary>
      </div>
      <NavDrawer
        open={drawer}
        onOpenChange={setDrawer}
        isAdmin={isAdmin}
        returnFocus={menuButton}
      />
      <CommandPalette host={host} open={palette} onOpenChange={setPalette} />
    </div>
  );
}
