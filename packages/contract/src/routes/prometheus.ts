import { ErrorBody } from '../errors.js';
import { httpRoute } from '../route.js';

/** The Prometheus text exposition format Berth answers in. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Berth's metrics for Prometheus to scrape. */
export const prometheusRoutes = {
  scrape: httpRoute({
    method: 'GET',
    path: '/metrics',
    tags: ['monitoring'],
    summary: 'Prometheus metrics: containers (named as cAdvisor names them), engines and Berth',
    description:
      'Authenticated by a scrape token (`POST /api/me/tokens` with `scope: "metrics"`, sent as ' +
      '`Authorization: Bearer …`; in prometheus.yml `authorization: { credentials: … }`), or by an ' +
      "admin. Host series cover the hosts the token's owner may see.",
    permission: 'metrics',
    download: PROMETHEUS_CONTENT_TYPE,
    responses: { 401: ErrorBody, 403: ErrorBody },
  }),
};
