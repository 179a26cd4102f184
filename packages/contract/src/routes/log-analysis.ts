import { ContainerParams } from '../containers.js';
import { ErrorBody } from '../errors.js';
import { LogAnalysis, LogAnalysisQuery } from '../log-analysis.js';
import { httpRoute } from '../route.js';

/** A container's logs, summarised on demand. */
export const logAnalysisRoutes = {
  get: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/containers/:id/logs/analysis',
    tags: ['containers'],
    summary:
      'Log analysis over a window: lines by level and by pattern, top repeated lines, first error since the last start',
    description: 'Reads the window as `docker logs --timestamps --since … --until …` does.',
    permission: 'host:read',
    params: ContainerParams,
    query: LogAnalysisQuery,
    responses: { 200: LogAnalysis, 400: ErrorBody, 404: ErrorBody },
  }),
};
