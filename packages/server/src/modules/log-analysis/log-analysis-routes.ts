import { contractRoutes } from '../../http/contract-routes.js';
import type { LogAnalysisService } from './log-analysis-service.js';

export function logAnalysisRoutes(analysis: LogAnalysisService) {
  return contractRoutes('logAnalysis', {
    get: (request) => analysis.analyse(request.params.host, request.params.id, request.query),
  });
}
