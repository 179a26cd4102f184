import type { Host, RecentEvent, TokenView, UserView } from '@berth/contract';
import { age, type Column } from '../core/output.js';
import { kind, orGone, relative, type AnyKind } from './kinds.js';
import { idStartsWith } from './selectors.js';

export const hostColumns: Column<Host>[] = [
  { header: 'NAME', value: (h) => h.id },
  { header: 'KIND', value: (h) => h.kind },
  {
    header: 'STATE',
    value: (h) => (h.reachable ? 'reachable' : 'unreachable'),
    colour: (h) => (h.reachable ? 'green' : 'red'),
  },
  { header: 'ENGINE', value: (h) => h.version ?? '-' },
  { header: 'CONTAINERS', value: (h) => `${h.counts.running}/${h.counts.containers}` },
  { header: 'SINCE', value: (h) => age(h.since) },
  { header: 'ENDPOINT', value: (h) => h.endpoint, wide: true, shrink: true },
  { header: 'LABELS', value: (h) => h.labels.join(',') || '-', wide: true },
  {
    header: 'LATENCY',
    value: (h) => (h.latencyMs === null ? '-' : `${Math.round(h.latencyMs)}ms`),
    wide: true,
  },
  { header: 'ERROR', value: (h) => h.error ?? '', wide: true, shrink: true },
];

const hosts = kind<Host>({
  plural: 'hosts',
  singular: 'host',
  aliases: ['host'],
  summary: 'List engine hosts and whether each is reachable',
  listKey: 'hosts',
  hostScoped: false,
  columns: hostColumns,
  name: (h) => h.id,
  matches: (h, ref) => h.id === ref || h.name === ref,
  // Host labels are bare words: `-l lab` selects hosts labelled lab.
  labels: (h) => Object.fromEntries(h.labels.map((l) => [l, ''])),
  list: async (session) => {
    const answer = await session.client.hosts.list();
    return { answer, rows: answer.hosts, stale: null };
  },
  watch: {
    named: (m) => (m.type === 'reachability' ? m.host : null),
    key: (h) => h.id,
    fetch: (session, _host, id) => orGone(session.client.hosts.get({ params: { host: id } })),
  },
});

const users = kind<UserView>({
  plural: 'users',
  singular: 'user',
  aliases: ['user'],
  summary: 'List users (admins)',
  listKey: 'users',
  hostScoped: false,
  columns: [
    { header: 'NAME', value: (u) => u.username },
    { header: 'ROLE', value: (u) => u.role },
    { header: '2FA', value: (u) => (u.totpEnabled ? 'on' : 'off') },
    { header: 'LAST LOGIN', value: (u) => relative(u.lastLoginAt) },
    {
      header: 'STATUS',
      value: (u) =>
        u.disabled ? 'disabled' : u.mustChangePassword ? 'must change password' : 'active',
      colour: (u) => (u.disabled ? 'red' : undefined),
    },
    { header: 'ID', value: (u) => u.id, wide: true },
    {
      header: 'HOSTS',
      value: (u) =>
        u.role === 'admin'
          ? 'all'
          : [...u.hosts, ...u.hostLabels.map((l) => `label:${l}`)].join(',') || '-',
      wide: true,
    },
    { header: 'AGE', value: (u) => age(u.createdAt), wide: true },
  ],
  name: (u) => u.username,
  matches: (u, ref) => u.username.toLowerCase() === ref.toLowerCase() || u.id === ref,
  list: async (session) => {
    const answer = await session.client.users.list();
    return { answer, rows: answer.users, stale: null };
  },
});

const tokens = kind<TokenView>({
  plural: 'tokens',
  singular: 'token',
  aliases: ['token'],
  summary: 'List your API tokens',
  listKey: 'tokens',
  hostScoped: false,
  columns: [
    { header: 'NAME', value: (t) => t.name, shrink: true },
    { header: 'PREFIX', value: (t) => t.prefix },
    { header: 'ROLE', value: (t) => t.role },
    { header: 'SCOPE', value: (t) => t.scope },
    { header: 'EXPIRES', value: (t) => relative(t.expiresAt) },
    { header: 'LAST USED', value: (t) => relative(t.lastUsedAt) },
    { header: 'ID', value: (t) => t.id, wide: true },
    { header: 'AGE', value: (t) => age(t.createdAt), wide: true },
  ],
  // `token/<prefix>` for -o name: one word (a name may hold spaces), that `get tokens` takes.
  name: (t) => t.prefix || t.id,
  matches: (t, ref) => t.name === ref || t.id === ref || t.prefix === ref,
  list: async (session) => {
    const answer = await session.client.tokens.list();
    return { answer, rows: answer.tokens, stale: null };
  },
});

const events = kind<RecentEvent>({
  plural: 'events',
  singular: 'event',
  aliases: ['event'],
  summary: "The host's last engine events, newest first (-w: follow them live)",
  listKey: 'events',
  hostScoped: true,
  columns: [
    { header: 'TIME', value: (e) => e.time },
    { header: 'TYPE', value: (e) => e.type },
    { header: 'ACTION', value: (e) => e.action },
    { header: 'NAME', value: (e) => e.name ?? '-', shrink: true },
    { header: 'ID', value: (e) => e.id.replace(/^sha256:/, '').slice(0, 12) },
  ],
  name: (e) => `${e.type}/${e.name ?? e.id}`,
  matches: (e, ref) => e.name === ref || idStartsWith(e.id, ref),
  list: async (session, host) => {
    const answer = await session.client.system.events({ params: { host } });
    return { answer, rows: answer.events, stale: answer.stale };
  },
});

export const accountKinds: AnyKind[] = [hosts, users, tokens, events];
