import {
  LOG_ANALYSIS_MAX_LINES,
  type LogAnalysis,
  type LogAnalysisQuery,
  type LogLineView,
} from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { toSeconds, type ContainerLogsService } from '../containers/container-logs.js';
import type { ContainersService } from '../containers/containers-service.js';
import { LogAnalyser } from './log-analyser.js';

/** Log analysis on demand: one read of the window's newest lines, summarised. */
export class LogAnalysisService {
  constructor(
    private readonly containers: ContainersService,
    private readonly logs: ContainerLogsService,
  ) {}

  async analyse(hostId: string, ref: string, query: LogAnalysisQuery): Promise<LogAnalysis> {
    const since = toSeconds(query.since);
    const until = toSeconds(query.until);
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
    const started = Date.parse(inspect.State.StartedAt);
    // The engine says 0001-01-01 for a container that never started.
    const startedAt = Number.isFinite(started) && started > 0 ? started : null;
    const analyser = new LogAnalyser(query.pattern, startedAt);
    // One line more than the bound: if it comes, the window held more than we read.
    const { lines } = await this.logs.open(hostId, id, {
      tail: LOG_ANALYSIS_MAX_LINES + 1,
      ...(query.since !== undefined ? { since: query.since } : {}),
      ...(query.until !== undefined ? { until: query.until } : {}),
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
