import {
  Bell,
  BellRing,
  Box,
  Boxes,
  Component,
  Globe,
  KeyRound,
  LayoutGrid,
  Ship,
  Waypoints,
  HardDrive,
  Layers,
  LayoutDashboard,
  Network,
  PanelLeftClose,
  PanelLeftOpen,
  Route,
  Server,
  ServerCog,
  ShieldCheck,
  UserRound,
  type LucideIcon,
} from 'lucide-react';
import { NavLink } from 'react-router';
import { hostPath, useCurrentHost } from './host-paths.js';
import { useHosts } from '../api/queries.js';

interface NavItem {
  to: string;
  label: string;
  icon: LucideIcon;
  end?: boolean;
}
interface NavGroup {
  heading: string;
  items: NavItem[];
}

/**
 * The sections of the app, in groups: a host's sections lead to the current host's pages;
 * later sections (Swarm) join a group or bring their own.
 */
function groups(isAdmin: boolean, host: string, manyHosts: boolean, inSwarm: boolean): NavGroup[] {
  return [
    {
      heading: 'Overview',
      items: [
        { to: '/', label: 'Dashboard', icon: LayoutDashboard, end: true },
        { to: '/hosts', label: 'Hosts', icon: ServerCog, end: true },
        // Containers, images and volumes of every host at once, for a user who sees several.
        ...(manyHosts ? [{ to: '/fleet', label: 'All hosts', icon: Globe }] : []),
      ],
    },
    {
      heading: 'Resources',
      items: [
        { to: hostPath(host, 'containers'), label: 'Containers', icon: Box },
        { to: hostPath(host, 'stacks'), label: 'Stacks', icon: Boxes },
        { to: hostPath(host, 'images'), label: 'Images', icon: Layers },
        { to: hostPath(host, 'networks'), label: 'Networks', icon: Network },
        { to: hostPath(host, 'volumes'), label: 'Volumes', icon: HardDrive },
      ],
    },
    {
      heading: 'Host',
      items: [{ to: hostPath(host, 'system'), label: 'System', icon: Server }],
    },
    // Hosts in swarm mode; admins see it on any host, to make one a manager.
    ...(inSwarm || isAdmin
      ? [
          {
            heading: 'Swarm',
            items: [
              { to: hostPath(host, 'swarm'), label: 'Cluster', icon: Component },
              ...(inSwarm
                ? [
                    { to: hostPath(host, 'services'), label: 'Services', icon: Waypoints },
                    { to: hostPath(host, 'swarm-stacks'), label: 'Swarm stacks', icon: Ship },
                    { to: hostPath(host, 'secrets'), label: 'Secrets & configs', icon: KeyRound },
                    { to: hostPath(host, 'visualizer'), label: 'Visualizer', icon: LayoutGrid },
                  ]
                : []),
            ],
          },
        ]
      : []),
    // Routes through Caddy span hosts: one page for all of them.
    {
      heading: 'Routing',
      items: [{ to: '/proxy', label: 'Proxy', icon: Route }],
    },
    {
      heading: 'Monitoring',
      items: [{ to: '/alerts', label: 'Alerts', icon: BellRing }],
    },
    {
      heading: 'Settings',
      items: [
        isAdmin
          ? { to: '/admin', label: 'Admin', icon: ShieldCheck, end: true }
          : { to: '/admin', label: 'Account', icon: UserRound },
        ...(isAdmin ? [{ to: '/admin/notifications', label: 'Notifications', icon: Bell }] : []),
      ],
    },
  ];
}

/**
 * The main navigation. Collapsed, it shows icons only: each label stays in the link (visually
 * hidden), so the link keeps its name for screen readers and tests, and a tooltip shows it.
 */
export function SideNav({
  isAdmin,
  collapsed = false,
  onToggle,
  onNavigate,
}: {
  isAdmin: boolean;
  collapsed?: boolean;
  /** Without it (the phone drawer) there is no collapse button. */
  onToggle?: () => void;
  /** Called when a link is followed (the drawer closes). */
  onNavigate?: () => void;
}) {
  const host = useCurrentHost();
  const hosts = useHosts().data;
  const manyHosts = (hosts?.length ?? 0) > 1;
  const inSwarm = (hosts?.find((h) => h.id === host)?.swarm?.state ?? 'inactive') !== 'inactive';
  return (
    <nav aria-label="Main" className="sidenav-nav">
      {groups(isAdmin, host, manyHosts, inSwarm).map((group) => (
        <div key={group.heading} className="nav-group">
          {/* Not a heading: page headings such as "Host" must stay unique for a reader. */}
          <div className={collapsed ? 'nav-heading nav-heading-rule' : 'nav-heading'} aria-hidden>
            {collapsed ? '' : group.heading}
          </div>
          <ul className="plain" aria-label={group.heading}>
            {group.items.map(({ to, label, icon: Icon, end }) => (
              <li key={to}>
                <NavLink
                  to={to}
                  end={end ?? false}
                  className="nav-link"
                  title={collapsed ? label : undefined}
                  onClick={onNavigate}
                >
                  <Icon size={18} aria-hidden className="nav-icon" />
                  <span className={collapsed ? 'sr-only' : 'nav-label'}>{label}</span>
                </NavLink>
              </li>
            ))}
          </ul>
        </div>
      ))}
      {onToggle && (
        <button
          type="button"
          className="nav-link nav-toggle"
          aria-label={collapsed ? 'Expand navigation' : 'Collapse navigation'}
          aria-expanded={!collapsed}
          title={collapsed ? 'Expand navigation' : 'Collapse navigation'}
          onClick={onToggle}
        >
          {collapsed ? (
            <PanelLeftOpen size={18} aria-hidden className="nav-icon" />
          ) : (
            <PanelLeftClose size={18} aria-hidden className="nav-icon" />
          )}
          <span className={collapsed ? 'sr-only' : 'nav-label'}>Collapse</span>
        </button>
      )}
    </nav>
  );
}
