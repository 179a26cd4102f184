import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import type { AgentGateway } from './agent-gateway.js';
import type { AgentsService } from './agents-service.js';

/** Where agents dial in, and an agent host's pairing and keys. */
export function agentsRoutes(agents: AgentsService, gateway: AgentGateway) {
  return contractRoutes('agents', {
    connect: (socket, request) =>
      gateway.serve({
        socket,
        remoteAddress: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      }),
    get: (request) => agents.status(request.params.host),
    joinToken: (request) => {
      // The token is a secret: never in the audit entry.
      auditInfo(request).details = { expiresInMinutes: request.body.expiresInMinutes ?? 15 };
      return agents.issueJoinToken(request.params.host, request.body, originOf(request));
    },
    rotateKey: (request) => agents.rotateKey(request.params.host),
    revoke: (request) => agents.revoke(request.params.host),
  });
}

/** The origin a request came to: what an agent beside the caller's browser would dial. */
export function originOf(request: { protocol: string; host: string }): string {
  return `${request.protocol}://${request.host}`;
}
