import {
  ComposeExport,
  ComposeExportQuery,
  FromRunBody,
  FromRunResult,
} from '../compose-convert.js';
import { ErrorBody } from '../errors.js';
import { HostParams } from '../hosts.js';
import { httpRoute } from '../route.js';

const tags = ['stacks'];
const base = '/api/hosts/:host/compose';
const exportDescription =
  'Give `containers` (names or ids), `environment` (a tag), or both (their union). Settings the ' +
  "container only inherited from its image or the engine are left out; Berth's environment tag " +
  'is the label `io.berth.environment`.';

/** Converters to compose: computations, nothing is changed. */
export const composeConvertRoutes = {
  fromRun: httpRoute({
    method: 'POST',
    path: `${base}/from-run`,
    tags,
    summary: 'A `docker run` command as a compose service',
    description: 'Every flag it cannot carry over is named in `warnings`, never dropped silently.',
    permission: 'host:read',
    // Computes an answer, changes nothing: no audit entry.
    noAudit: true,
    params: HostParams,
    body: FromRunBody,
    responses: { 200: FromRunResult, 400: ErrorBody, 404: ErrorBody },
  }),
  export: httpRoute({
    method: 'GET',
    path: `${base}/export`,
    tags,
    summary: 'Containers as a compose file: some by name, or all with one environment tag',
    description: exportDescription,
    permission: 'host:read',
    params: HostParams,
    query: ComposeExportQuery,
    responses: { 200: ComposeExport, 400: ErrorBody, 404: ErrorBody },
  }),
  download: httpRoute({
    method: 'GET',
    path: `${base}/export.yaml`,
    tags,
    summary: 'The same compose file, to save as compose.yaml',
    description: exportDescription,
    permission: 'host:read',
    params: HostParams,
    query: ComposeExportQuery,
    responses: { 400: ErrorBody, 404: ErrorBody },
    download: 'application/yaml',
  }),
};
