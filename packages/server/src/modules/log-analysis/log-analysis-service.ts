import {
  LOG_ANALYSIS_MAX_LINES,
  type LogAnalysis,
  type LogAnalysisQuery,
  type LogLineView,
} from '@berth/contract';
import { AppError } from '../../core/errors.js';
import type { ContainerLogsService } from '../containers/container-logs.js';
import type { ContainersService } from '../containers/containers-service.js';
import { LogAnalyser } from './log-analyser.js';

/** Log analysis on demand: one read of the window's newest lines, summarised. */
export class LogAnalysisService {
  constructor(
    private readonly containers: ContainersService,
    private readonly logs: ContainerLogsService,
  ) {}

  async analyse(hostId: string, ref: string, query: LogAnalysisQuery): Promise<LogAnalysis> {
    const since = preciseSeconds(query.since);
    const until = preciseSeconds(query.until);
    if (since !== undefined && until !== undefined && since > until) {
      throw AppError.badRequest(
        'validation_failed',
        'Invalid request: query.until: must not be before since',
        {
          issues: [{ field: 'query.until', message: 'must not be before since' }],
        },
      );
    }
    const { api, id, name } = await this.containers.resolve(hostId, ref);
    const inspect = await api.inspect(id);
    const startedAt = engineTime(inspect.State.StartedAt);
    const analyser = new LogAnalyser(query.pattern, runBoundary(inspect.State));
    // One line more than the bound: if it comes, the window held more than we read.
    const { lines } = await this.logs.open(hostId, id, {
      tail: LOG_ANALYSIS_MAX_LINES + 1,
      ...(since !== undefined ? { since: unixSeconds(since) } : {}),
      ...(until !== undefined ? { until: unixSeconds(until) } : {}),
      timestamps: true,
      stdout: true,
      stderr: true,
    });
    let first: LogLineView | null = null;
    let read = 0;
    for await (const line of lines) {
      read += 1;
      if (read === 1) first = line;
      else analyser.add(line);
    }
    const truncated = read > LOG_ANALYSIS_MAX_LINES;
    if (first && !truncated) analyser.add(first, { earliest: true });
    return {
      container: name,
      since: query.since ?? null,
      until: query.until ?? null,
      truncated,
      ...analyser.summary(query.top),
      lastStartedAt: startedAt === null ? null : new Date(startedAt).toISOString(),
      restartCount: inspect.RestartCount,
    };
  }
}

/**
 * A window bound as Unix seconds to the millisecond: the engine takes fractions, and a
 * container restarted within the second of its last lines must not have them counted again.
 */
function preciseSeconds(time: string | undefined): number | undefined {
  if (time === undefined) return undefined;
  return /^\d+(\.\d+)?$/.test(time) ? Number(time) : Date.parse(time) / 1000;
}

function unixSeconds(seconds: number): string {
  return seconds.toFixed(3);
}

/** An engine time in epoch ms; null for the engine's "never" (0001-01-01). */
function engineTime(time: string): number | null {
  const ms = Date.parse(time);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

/** Lines the engine may stamp before it records StartedAt: the process runs first. */
const START_GRACE_MS = 1_000;

/**
 * Where the last run's lines begin (epoch ms), or null when every line is of the last run. A
 * running container's previous run ended at FinishedAt, which the engine records only after
 * that run's last line; a stopped one's last run began at StartedAt, stamped just after its
 * process started (so a little earlier is still of that run).
 */
function runBoundary(state: { StartedAt: string; FinishedAt: string }): number | null {
  const started = engineTime(state.StartedAt);
  const finished = engineTime(state.FinishedAt);
  if (started === null) return null;
  if (finished === null) return null;
  return finished < started ? finished : started - START_GRACE_MS;
}
