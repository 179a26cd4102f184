import { sendDownload } from '../../../http/download-reply.js';
import { contractRoutes } from '../../../http/contract-routes.js';
import { requirePrincipal } from '../../auth/require-principal.js';
import type { ComposeConvertService } from './compose-convert-service.js';

/** Converters to compose: docker run → service, containers → compose file (and its download). */
export function composeConvertRoutes(convert: ComposeConvertService) {
  return contractRoutes('composeConvert', {
    fromRun: (request) => convert.fromRun(request.params.host, request.body),
    export: (request) =>
      convert.export(request.params.host, request.query, {
        maskSecrets: requirePrincipal(request).role === 'viewer',
      }),
    download: async (request, reply) => {
      const { host } = request.params;
      const exported = await convert.export(host, request.query, {
        maskSecrets: requirePrincipal(request).role === 'viewer',
      });
      return sendDownload(reply, {
        body: exported.yaml,
        contentType: 'application/yaml; charset=utf-8',
        filename: convert.exportFilename(host, request.query),
        size: Buffer.byteLength(exported.yaml),
      });
    },
  });
}
