import { parseGoDuration, type AuditEntry, type AuditPage } from '@berth/contract';
import type { Command } from 'commander';
import { globalOptions, sessionOf } from '../core/command.js';
import { UsageError } from '../core/errors.js';
import { parseOutputFormat, printList, type Column } from '../core/output.js';

interface AuditOptions {
  since?: string;
  user?: string;
  action?: string;
  limit?: string;
  output?: string;
}

/** `--since`: a duration back from now (`90s`, `1h30m`, `7d`) or an ISO time. */
export function sinceTime(text: string, now = Date.now()): string {
  const days = /^(\d+)d$/.exec(text);
  if (days) return new Date(now - Number(days[1]) * 86_400_000).toISOString();
  const ns = /^\d+$/.test(text) ? null : parseGoDuration(text);
  if (ns !== null) return new Date(now - ns / 1e6).toISOString();
  const at = Date.parse(text);
  if (Number.isNaN(at))
    throw new UsageError(`--since "${text}": give a duration (30m, 2h, 7d) or an ISO time`);
  return new Date(at).toISOString();
}

function parseLimit(text: string | undefined): number {
  if (text === undefined) return 100;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 5000)
    throw new UsageError(`--limit "${text}": a whole number from 1 to 5000`);
  return n;
}

/** A target names its host first ("local/web (3f2a…)") when the route was a host's. */
function splitTarget(
  entry: AuditEntry,
  hosts: ReadonlySet<string>,
): { host: string; rest: string } {
  const target = entry.target ?? '';
  const slash = target.indexOf('/');
  const first = slash > 0 ? target.slice(0, slash) : '';
  return hosts.has(first)
    ? { host: first, rest: target.slice(slash + 1) }
    : { host: '-', rest: target || '-' };
}

function columns(hosts: ReadonlySet<string>): Column<AuditEntry>[] {
  return [
    { header: 'TIME', value: (e) => e.at.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') },
    { header: 'USER', value: (e) => e.username ?? '-' },
    { header: 'ACTION', value: (e) => e.action },
    { header: 'TARGET', value: (e) => splitTarget(e, hosts).rest, shrink: true },
    { header: 'HOST', value: (e) => splitTarget(e, hosts).host },
    {
      header: 'RESULT',
      value: (e) => (e.status === null ? e.outcome : `${e.outcome} (${e.status})`),
      colour: (e) => (e.outcome === 'success' ? undefined : 'red'),
    },
    { header: 'IP', value: (e) => e.ip ?? '-', wide: true },
    { header: 'TOKEN', value: (e) => e.tokenId ?? '-', wide: true },
    {
      header: 'DETAILS',
      value: (e) => (e.details ? JSON.stringify(e.details) : '-'),
      wide: true,
      shrink: true,
    },
  ];
}

/** The most pages one `berth audit --host` reads looking for entries of that host. */
const MAX_PAGES = 20;
const PAGE_MAX = 500;

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description(
      'The audit log, newest first (admins); -H/--host <host>: only actions on that host',
    )
    .option('--since <when>', 'Only entries since then: a duration back (1h, 7d) or an ISO time')
    .option('--user <username>', 'Only what this user did')
    .option('--action <action>', 'Only this action, or a prefix ending in "." (container.)')
    .option('--limit <n>', 'At most this many entries (default 100)')
    .option('-o, --output <format>', 'table, wide, json, yaml or name')
    .action(async (options: AuditOptions, command: Command) => {
      const format = parseOutputFormat(options.output);
      const limit = parseLimit(options.limit);
      const from = options.since === undefined ? undefined : sinceTime(options.since);
      const session = sessionOf(command);
      // -H/--host is the program's option: given, it filters (a context's host does not).
      const onHost = globalOptions(command).host;
      const hostIds = new Set((await session.client.hosts.list()).hosts.map((h) => h.id));
      const query = { from, user: options.user, action: options.action };
      const wanted = (e: AuditEntry): boolean =>
        onHost === undefined || splitTarget(e, hostIds).host === onHost;
      // The API has no host filter: pages are read until enough entries of the host were seen.
      const entries: AuditEntry[] = [];
      let before: number | undefined;
      let page: AuditPage = { entries: [], nextBefore: null };
      for (let i = 0; i < MAX_PAGES && entries.length < limit; i += 1) {
        page = await session.client.audit.list({
          query: { ...query, before, limit: Math.min(PAGE_MAX, limit - entries.length) },
        });
        entries.push(...page.entries.filter(wanted));
        if (page.nextBefore === null) break;
        before = page.nextBefore;
      }
      const shown = entries.slice(0, limit);
      const last = shown[shown.length - 1];
      const answer: AuditPage = {
        entries: shown,
        nextBefore: entries.length > limit && last ? last.id : page.nextBefore,
      };
      printList(format, answer, shown, columns(hostIds), (e) => `audit/${e.id}`);
    });
}
