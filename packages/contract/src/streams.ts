import { z } from 'zod';
import { AgentStatus } from './agent.js';
import { Alert } from './alerts.js';
import { LogLineView, LogTime } from './container-io.js';
import { MetricsPoint } from './metrics.js';
import { ProxyRoute } from './proxy.js';
import { StateChange } from './state.js';
import { HostSwarm } from './swarm.js';

/** Messages the server sends on the WebSocket streams (as JSON text frames). */
export const StreamLines = z.object({
  type: z.literal('lines'),
  lines: z
    .array(LogLineView)
    .min(1)
    .describe('Log lines in order, oldest first: what was read at once goes out as one message'),
});
export type StreamLines = z.infer<typeof StreamLines>;
export const StreamDropped = z.object({
  type: z.literal('dropped'),
  count: z
    .number()
    .int()
    .describe(
      'Items dropped (oldest first) because this viewer fell behind: log lines on the logs stream, readings on the stats stream',
    ),
});
export type StreamDropped = z.infer<typeof StreamDropped>;
export const StreamEnd = z.object({ type: z.literal('end'), reason: z.string() });
export type StreamEnd = z.infer<typeof StreamEnd>;
export const StreamError = z.object({
  type: z.literal('error'),
  code: z.string(),
  message: z.string(),
});
export type StreamError = z.infer<typeof StreamError>;

export const ContainerStats = z
  .object({
    read: z.string(),
    cpuPercent: z.number().describe('Share of one CPU: 200 means two full CPUs'),
    onlineCpus: z.number().int(),
    memory: z.object({
      usage: z.number().int().describe('Usage minus page cache, as docker stats shows it'),
      limit: z.number().int(),
      percent: z.number(),
    }),
    network: z.object({ rxBytes: z.number().int(), txBytes: z.number().int() }),
    blockIo: z.object({ readBytes: z.number().int(), writeBytes: z.number().int() }),
    pids: z.number().int(),
  })
  .meta({ id: 'ContainerStats' });
export type ContainerStats = z.infer<typeof ContainerStats>;

export const StreamStats = ContainerStats.extend({ type: z.literal('stats') });

export const StreamChange = z.object({ type: z.literal('change'), change: StateChange });
export const StreamHello = z.object({
  type: z.literal('hello'),
  host: z.string(),
  reachable: z.boolean(),
});
/** Events stream: the engine went unreachable or is back (lists then say whether they are current). */
export const StreamReachability = z.object({
  type: z.literal('reachability'),
  host: z.string(),
  reachable: z.boolean(),
});

/** Events stream: progress of a pull, push, build, backup, restore or recreate. */
export const StreamProgress = z.object({
  type: z.literal('progress'),
  operation: z.enum(['pull', 'push', 'build', 'backup', 'restore', 'recreate']),
  transferId: z
    .string()
    .nullable()
    .describe('One transfer among several at once (its id in the API)'),
  subject: z
    .string()
    .describe(
      'The image (pull, push, build), volume (backup, restore) or container name (recreate)',
    ),
  status: z
    .string()
    .describe(
      'A recreate reports its steps: stopping, renaming, creating, starting, removing-old, then done or rolled-back',
    ),
  layer: z.string().nullable(),
  current: z.number().nullable(),
  total: z.number().nullable(),
});
export type StreamProgress = z.infer<typeof StreamProgress>;
/** Events stream: one step of a stack operation (up, down, start, stop, restart, pull), per service. */
export const StreamStackProgress = z.object({
  type: z.literal('stack'),
  host: z.string(),
  stack: z.string(),
  operation: z.enum(['up', 'down', 'start', 'stop', 'restart', 'pull']),
  /** null for the stack as a whole (its networks, volumes, the end of the operation). */
  service: z.string().nullable(),
  /** The container concerned, when there is one. */
  container: z.string().nullable(),
  step: z
    .string()
    .describe(
      'pulling, building, creating, recreating, starting, waiting (for a dependency), healthy, completed, stopping, removing, done, failed, skipped',
    ),
  message: z.string().nullable().describe('Why it failed or waits, a pull status'),
});
export type StreamStackProgress = z.infer<typeof StreamStackProgress>;
/** Events stream of an agent host: its agent connected, disconnected, paired, was revoked or rotated its key. */
export const StreamAgent = z.object({
  type: z.literal('agent'),
  host: z.string(),
  agent: AgentStatus,
});
export type StreamAgent = z.infer<typeof StreamAgent>;

/** Events stream: an alert of this host fired, resolved or was acknowledged. */
export const StreamAlert = z.object({
  type: z.literal('alert'),
  host: z.string(),
  alert: Alert,
});
export type StreamAlert = z.infer<typeof StreamAlert>;

/**
 * Events stream: a metrics round of this host — its totals and each stack's, as the history
 * routes answer them (one point), so charts append them live. Once a BERTH_METRICS_INTERVAL.
 */
export const StreamMetrics = z.object({
  type: z.literal('metrics'),
  host: z.string(),
  totals: MetricsPoint,
  stacks: z.record(z.string(), MetricsPoint).describe('By stack (compose project) name'),
});
export type StreamMetrics = z.infer<typeof StreamMetrics>;
/** Events stream: the host's swarm membership changed (init, join, leave, a role or node change). */
export const StreamSwarm = z.object({
  type: z.literal('swarm'),
  host: z.string(),
  swarm: HostSwarm,
});
export type StreamSwarm = z.infer<typeof StreamSwarm>;

/**
 * Events stream of a swarm manager: a service, node, secret or config changed (the engine's
 * own events), or a task moved (a task container of this node started, stopped, died). A
 * rolling update shows as the service's updateState and its tasks moving from old to new.
 */
export const StreamSwarmChange = z.object({
  type: z.literal('swarm-change'),
  host: z.string(),
  kind: z.enum(['service', 'node', 'secret', 'config', 'task']),
  action: z.string().describe('create, update, remove; for a task the container event'),
  id: z.string(),
  name: z.string().nullable(),
  service: z.string().nullable().describe("A task's service id"),
  updateState: z
    .string()
    .nullable()
    .describe("A service's new update state (updating, completed, rollback_started …)"),
});
export type StreamSwarmChange = z.infer<typeof StreamSwarmChange>;

/**
 * Events stream of a route's target host: a proxy route was added, changed (applied or not,
 * its upstreams, asleep, waking, awake) or removed (`route` null).
 */
export const StreamProxy = z.object({
  type: z.literal('proxy'),
  host: z.string(),
  id: z.string(),
  route: ProxyRoute.nullable(),
});
export type StreamProxy = z.infer<typeof StreamProxy>;

/** Everything the events stream sends. */
export const EventsMessage = z.discriminatedUnion('type', [
  StreamHello,
  StreamChange,
  StreamReachability,
  StreamProgress,
  StreamStackProgress,
  StreamAgent,
  StreamAlert,
  StreamMetrics,
  StreamSwarmChange,
  StreamSwarm,
  StreamProxy,
]);
export type EventsMessage = z.infer<typeof EventsMessage>;

/** Everything the logs stream sends: line batches, a drop count when the viewer fell behind, the end, or a failure. */
export const LogsMessage = z.discriminatedUnion('type', [
  StreamLines,
  StreamDropped,
  StreamEnd,
  StreamError,
]);
export type LogsMessage = z.infer<typeof LogsMessage>;

/** Everything the stats stream sends: readings, a drop count, the end, or a failure. */
export const StatsMessage = z.discriminatedUnion('type', [
  StreamStats,
  StreamDropped,
  StreamEnd,
  StreamError,
]);
export type StatsMessage = z.infer<typeof StatsMessage>;

/** The most containers one stats.many socket follows at once (a screen of rows, with room). */
export const STATS_MANY_MAX = 200;
const StatsManyIds = z
  .array(
    z
      .string()
      .regex(
        /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/,
        'an id or a name: letters, digits and _ . - only',
      ),
  )
  .min(1)
  .max(STATS_MANY_MAX)
  .describe('Container ids or names, as the answers will name them');
/** What a client sends on stats.many: the containers to follow from now on, or to stop following. */
export const StatsManyControl = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('subscribe'), ids: StatsManyIds }),
  z.strictObject({ type: z.literal('unsubscribe'), ids: StatsManyIds }),
]);
export type StatsManyControl = z.infer<typeof StatsManyControl>;
/** The largest text frame stats.many accepts (200 ids of 128 characters, quoted). */
export const STATS_MANY_MAX_BYTES = 32 * 1024;

/**
 * Everything stats.many sends: a reading of one container, the end of one container's stream
 * (stopped, removed, not found), a drop count when the viewer fell behind.
 */
export const StatsManyMessage = z.discriminatedUnion('type', [
  ContainerStats.extend({
    type: z.literal('stats'),
    id: z.string().describe('The container, as the client named it when subscribing'),
  }),
  z.object({
    type: z.literal('ended'),
    id: z.string(),
    reason: z
      .string()
      .describe('Why this container has no more readings (subscribe again to retry)'),
  }),
  StreamDropped,
]);
export type StatsManyMessage = z.infer<typeof StatsManyMessage>;

/** Exec: the client sends binary frames as terminal input, and these as JSON text frames. */
export const ExecControl = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('resize'),
    cols: z.number().int().min(1).max(1000),
    rows: z.number().int().min(1).max(1000),
  }),
  z.object({ type: z.literal('input'), data: z.string().max(65536) }),
  z
    .object({ type: z.literal('eof') })
    .describe("Closes the command's stdin (its input ended), as `echo hi | docker exec -i` does"),
]);
export type ExecControl = z.infer<typeof ExecControl>;
/** The largest JSON text frame a terminal accepts (an `input` of 65,536 characters, escaped). */
export const EXEC_CONTROL_MAX_BYTES = 512 * 1024;

/** What a client may send on the logs, stats and events streams: nothing. */
export const NoClientMessages = z.never({ error: 'this stream takes no messages' });

/**
 * Close codes for a frame a stream does not accept. Only that socket is closed, with one of
 * these and a reason naming the problem.
 */
export const StreamCloseCode = {
  /** Text that is not JSON. */
  invalidPayload: 1007,
  /** JSON of the wrong shape, a binary frame where text is expected, or any frame on a stream that takes none. */
  policyViolation: 1008,
  /** A frame larger than the stream accepts. */
  tooBig: 1009,
  /** The server failed (the engine, the audit log). */
  internalError: 1011,
  /** The stream's host was removed or changed (going away): the reason names it. */
  hostGone: 1001,
} as const;
export const ExecStarted = z.object({
  type: z.literal('started'),
  command: z.array(z.string()),
  cli: z.string(),
});
export const ExecExit = z.object({
  type: z.literal('exit'),
  exitCode: z.number().int().nullable(),
});
/** Everything the terminal sends as JSON text frames (its output goes as binary frames). */
export const TerminalMessage = z.discriminatedUnion('type', [ExecStarted, ExecExit, StreamError]);
export type TerminalMessage = z.infer<typeof TerminalMessage>;

/**
 * Without a TTY (`tty=false`) each binary frame the server sends starts with one byte naming
 * the stream, as the engine's own multiplexed stream does: the rest of the frame is its bytes.
 */
export const ExecStreamByte = { stdout: 1, stderr: 2 } as const;

/** A query value given once or repeated (`command=sh&command=-c`): always a list. */
const Repeated = (item: z.ZodString) =>
  z
    .union([item, z.array(item).max(256)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional();
const QueryBool = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .default(true);

export const ExecTerminalQuery = z
  .strictObject({
    shell: z
      .string()
      .max(256)
      .optional()
      .describe('Default: bash if the container has it, else sh'),
    command: Repeated(z.string().max(65536)).describe(
      'The command to run instead of a shell, one argument per repeat (`command=sh&command=-c&command=…`)',
    ),
    env: Repeated(z.string().regex(/^[^=\0]+=[^\0]*$/, 'KEY=value')).describe(
      'Environment variables, KEY=value, repeated',
    ),
    tty: QueryBool.describe(
      'false: no terminal; stdout and stderr stay apart, each binary frame tagged by its first byte (ExecStreamByte)',
    ),
    interactive: QueryBool.describe(
      "false: the command's stdin is not attached (it reads end of file at once)",
    ),
    user: z.string().max(256).optional(),
    workingDir: z.string().max(4096).optional(),
    cols: z.coerce.number().int().min(1).max(1000).default(80),
    rows: z.coerce.number().int().min(1).max(1000).default(24),
  })
  .refine((q) => q.shell === undefined || q.command === undefined, {
    message: 'give a shell or a command, not both',
    path: ['command'],
  });
export type ExecTerminalQuery = z.output<typeof ExecTerminalQuery>;

export const ExecRun = z
  .strictObject({
    command: z.array(z.string()).min(1).max(256),
    user: z.string().max(256).optional(),
    workingDir: z.string().max(4096).optional(),
    env: z.record(z.string().regex(/^[^=\0]+$/), z.string()).optional(),
    timeoutS: z.number().int().min(1).max(3600).default(60),
  })
  .meta({ id: 'ExecRun' });
export type ExecRun = z.infer<typeof ExecRun>;

export const ExecResult = z
  .object({
    exitCode: z.number().int().nullable(),
    stdout: z.string(),
    stderr: z.string(),
    truncated: z.boolean().describe('Output past 1 MiB per stream was cut'),
    timedOut: z.boolean(),
    cli: z.string(),
  })
  .meta({ id: 'ExecResult' });
export type ExecResult = z.infer<typeof ExecResult>;

export const LogStreamQuery = z.strictObject({
  tail: z
    .union([z.literal('all'), z.coerce.number().int().min(0).max(100_000)])
    .default(100)
    .describe('History lines from the end, or "all"'),
  since: LogTime.optional().describe('History from this time (Unix seconds or ISO 8601)'),
  until: LogTime.optional().describe(
    'History up to this time; with it the stream sends history only and then ends',
  ),
  timestamps: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false),
  stdout: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(true),
  stderr: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(true),
  filter: z.string().max(500).optional(),
});
export type LogStreamQuery = z.infer<typeof LogStreamQuery>;
