// Where in Caddy's config Berth's routes go: the server on the https_port (or the one named by
// BERTH_CADDY_SERVER), and for routes with TLS off the server on the http_port. When Caddy has
// neither, Berth adds its own, listening where Caddy's own would. Each step is one per-path
// admin request; nothing of the user's config is replaced.
import { BERTH_HTTP_SERVER, BERTH_HTTPS_SERVER } from './caddy-config.js';
import type { CaddyAdmin } from './caddy-admin.js';

export interface CaddyServer {
  listen?: string[];
  routes?: unknown[];
  [key: string]: unknown;
}

interface HttpApp {
  http_port?: number;
  https_port?: number;
  servers?: Record<string, CaddyServer>;
}

/** The servers Berth writes into, found (or made) for one pass of writes. */
export interface ServerChoice {
  https: string;
  http: string | null;
  listen: string[];
}

const portOf = (address: string): number | null => {
  const match = /:(\d+)(?:-\d+)?$/.exec(address);
  return match?.[1] ? Number(match[1]) : null;
};

export class CaddyServers {
  private chosen: ServerChoice | null = null;

  constructor(
    private readonly admin: CaddyAdmin,
    private readonly configured: string | null,
  ) {}

  /** Forgets the servers found: Caddy restarted or its config changed under Berth. */
  forget(): void {
    this.chosen = null;
  }

  current(): ServerChoice | null {
    return this.chosen;
  }

  /** The HTTPS server's name (found or made); `plainHttp` also finds or makes the HTTP one. */
  async ensure(plainHttp: boolean): Promise<ServerChoice> {
    if (this.chosen && (!plainHttp || this.chosen.http !== null)) return this.chosen;
    const app = await this.httpApp();
    const servers = app.servers ?? {};
    const httpsPort = app.https_port ?? 443;
    const httpPort = app.http_port ?? 80;
    let https = this.configured ?? findListening(servers, httpsPort);
    if (this.configured !== null && servers[this.configured] === undefined) {
      throw new Error(`Caddy has no server "${this.configured}" (BERTH_CADDY_SERVER)`);
    }
    if (https === null) {
      https = BERTH_HTTPS_SERVER;
      await this.admin.put(`/config/apps/http/servers/${https}`, {
        listen: [`:${httpsPort}`],
        routes: [],
      });
      servers[https] = { listen: [`:${httpsPort}`], routes: [] };
    }
    const listen = servers[https]?.listen ?? [];
    let http = this.chosen?.http ?? null;
    if (plainHttp && http === null) {
      http = findListening(servers, httpPort);
      if (http === null) {
        // Listen on the same interface as the HTTPS server (loopback stays loopback).
        const host = /^(.*):\d+$/.exec(listen[0] ?? '')?.[1] ?? '';
        http = BERTH_HTTP_SERVER;
        await this.admin.put(`/config/apps/http/servers/${http}`, {
          listen: [`${host}:${httpPort}`],
          routes: [],
        });
      }
    }
    this.chosen = { https, http, listen };
    return this.chosen;
  }

  private async httpApp(): Promise<HttpApp> {
    const config = await this.admin.find<Record<string, unknown>>('/config/');
    if (config === undefined) {
      // An empty Caddy: there is no user config to keep, only the admin API's own.
      await this.admin.post('/config/', { apps: { http: { servers: {} } } });
      return { servers: {} };
    }
    const apps = await this.admin.find<Record<string, unknown>>('/config/apps');
    if (apps === undefined) {
      await this.admin.put('/config/apps', { http: { servers: {} } });
      return { servers: {} };
    }
    const http = await this.admin.find<HttpApp>('/config/apps/http');
    if (http === undefined) {
      await this.admin.put('/config/apps/http', { servers: {} });
      return { servers: {} };
    }
    if (http.servers === undefined) {
      await this.admin.put('/config/apps/http/servers', {});
      http.servers = {};
    }
    return http;
  }
}

function findListening(servers: Record<string, CaddyServer>, port: number): string | null {
  for (const [name, server] of Object.entries(servers)) {
    if ((server.listen ?? []).some((address) => portOf(address) === port)) return name;
  }
  return null;
}
