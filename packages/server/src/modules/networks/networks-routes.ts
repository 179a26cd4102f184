import {
  ActionCli,
  ConnectRequest,
  ConnectResult,
  DisconnectResult,
  DisconnectRequest,
  ErrorBody,
  HostParams,
  NetworkCreate,
  NetworkList,
  NetworkParams,
  NetworkPruneRequest,
  NetworkSummary,
  NoContent,
  PruneResult,
  Reservation,
  ReservationCreate,
  ReservationList,
  ReservationParams,
  SubnetSuggestion,
  SubnetSuggestionQuery,
  Topology,
} from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { auditInfo } from '../../http/route-permissions.js';
import type { NetworkAddresses } from './network-addresses.js';
import type { NetworksService } from './networks-service.js';
import type { ReservationsRepository } from './reservations-repository.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export interface NetworksRoutesDeps {
  networks: NetworksService;
  addresses: NetworkAddresses;
  reservations: ReservationsRepository;
}

/** Networks: CRUD with IPAM, prune, connect/disconnect, reservations, sizing, topology, document. */
export function networksRoutes({
  networks,
  addresses,
  reservations,
}: NetworksRoutesDeps): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    const base = '/api/hosts/:host/networks';
    app.get(
      base,
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['networks'],
          summary: 'Networks with ranges, members, reservations and an oversize flag',
          description: 'Equivalent: `docker network ls`',
          params: HostParams,
          response: { 200: NetworkList, 404: ErrorBody },
        },
      },
      (request) => networks.list(request.params.host),
    );
    app.post(
      base,
      {
        config: { permission: 'host:write', audit: 'network.create' },
        schema: {
          tags: ['networks'],
          summary: 'Create; without a subnet, expectedContainers sizes a free one',
          description: 'Equivalent: `docker network create`',
          params: HostParams,
          body: NetworkCreate,
          response: { 201: NetworkSummary.extend({ cli: z.string() }), ...errors },
        },
      },
      async (request, reply) => {
        auditInfo(request).target = `${request.params.host}/${request.body.name}`;
        const created = await networks.create(request.params.host, request.body);
        auditInfo(request).details = {
          id: created.id,
          subnets: created.subnets.map((s) => s.subnet),
        };
        return reply.status(201).send(created);
      },
    );
    app.post(
      `${base}/prune`,
      {
        config: { permission: 'host:write', audit: 'network.prune' },
        schema: {
          tags: ['networks'],
          summary: 'Remove networks no container uses; dryRun (the default) lists them',
          params: HostParams,
          body: NetworkPruneRequest,
          response: { 200: PruneResult, ...errors },
        },
      },
      async (request) => {
        const result = await networks.prune(
          request.params.host,
          request.body.dryRun,
          request.body.label,
        );
        auditInfo(request).details = {
          dryRun: result.dryRun,
          removed: result.removed.map((r) => r.name),
        };
        return result;
      },
    );
    app.get(
      `${base}/suggest-subnet`,
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['networks'],
          summary: "A free range sized for N containers on this host's hardware",
          params: HostParams,
          querystring: SubnetSuggestionQuery,
          response: { 200: SubnetSuggestion, ...errors },
        },
      },
      (request) => networks.suggest(request.params.host, request.query.expectedContainers),
    );
    app.get(
      `${base}/topology`,
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['networks'],
          summary: 'The graph of networks and containers, with addresses, aliases and ports',
          params: HostParams,
          response: { 200: Topology, ...errors },
        },
      },
      (request) => networks.topology(request.params.host),
    );
    app.get(
      `${base}/document`,
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['networks'],
          summary: 'A Markdown document of every network, its range, reservations and members',
          params: HostParams,
        },
      },
      async (request, reply) =>
        reply
          .header('content-type', 'text/markdown; charset=utf-8')
          .send(await networks.document(request.params.host)),
    );
    app.get(
      `${base}/:id`,
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['networks'],
          summary: 'Inspect',
          description: 'Equivalent: `docker network inspect`',
          params: NetworkParams,
          response: {
            200: NetworkSummary.extend({ inspect: z.record(z.string(), z.unknown()) }),
            ...errors,
          },
        },
      },
      (request) => networks.get(request.params.host, request.params.id),
    );
    app.delete(
      `${base}/:id`,
      {
        config: { permission: 'host:write', audit: 'network.remove' },
        schema: {
          tags: ['networks'],
          summary: 'Remove',
          description: 'Equivalent: `docker network rm`',
          params: NetworkParams,
          response: { 200: ActionCli, ...errors },
        },
      },
      (request) => networks.remove(request.params.host, request.params.id),
    );
    app.post(
      `${base}/:id/connect`,
      {
        config: { permission: 'host:write', audit: 'network.connect' },
        schema: {
          tags: ['networks'],
          summary: 'Connect a container (static IP, a reservation, aliases)',
          description: 'Equivalent: `docker network connect`',
          params: NetworkParams,
          body: ConnectRequest,
          response: { 200: ConnectResult, ...errors },
        },
      },
      async (request) => {
        const { host, network } = await networks.resolve(request.params.host, request.params.id);
        auditInfo(request).details = {
          container: request.body.container,
          ip: request.body.ipv4Address ?? null,
          reservation: request.body.reservation ?? null,
        };
        return addresses.connect(host, network.Name, request.body.container, request.body);
      },
    );
    app.post(
      `${base}/:id/disconnect`,
      {
        config: { permission: 'host:write', audit: 'network.disconnect' },
        schema: {
          tags: ['networks'],
          summary: 'Disconnect a container',
          description: 'Equivalent: `docker network disconnect`',
          params: NetworkParams,
          body: DisconnectRequest,
          response: { 200: DisconnectResult, ...errors },
        },
      },
      async (request) => {
        const { host, network } = await networks.resolve(request.params.host, request.params.id);
        auditInfo(request).details = { container: request.body.container };
        return addresses.disconnect(host, network.Name, request.body.container, request.body.force);
      },
    );
    app.get(
      `${base}/:id/reservations`,
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['networks'],
          summary: 'Reserved addresses',
          params: NetworkParams,
          response: { 200: ReservationList, ...errors },
        },
      },
      async (request) => {
        const { network } = await networks.resolve(request.params.host, request.params.id);
        const rows = await reservations.forNetwork(request.params.host, network.Id);
        return {
          reservations: rows.map((r) => ({ ip: r.ip, purpose: r.purpose, createdAt: r.createdAt })),
        };
      },
    );
    app.post(
      `${base}/:id/reservations`,
      {
        config: { permission: 'host:write', audit: 'network.reserve' },
        schema: {
          tags: ['networks'],
          summary: 'Reserve an address (or the next free one) for a purpose',
          params: NetworkParams,
          body: ReservationCreate,
          response: { 201: Reservation, ...errors },
        },
      },
      async (request, reply) => {
        const { host, network } = await networks.resolve(request.params.host, request.params.id);
        const row = await addresses.reserve(host, network, request.body.ip, request.body.purpose);
        auditInfo(request).details = { ip: row.ip, purpose: row.purpose };
        return reply
          .status(201)
          .send({ ip: row.ip, purpose: row.purpose, createdAt: row.createdAt });
      },
    );
    app.delete(
      `${base}/:id/reservations/:ip`,
      {
        config: { permission: 'host:write', audit: 'network.unreserve' },
        schema: {
          tags: ['networks'],
          summary: 'Release a reservation',
          params: ReservationParams,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        const { network } = await networks.resolve(request.params.host, request.params.id);
        if (!(await reservations.remove(request.params.host, network.Id, request.params.ip))) {
          throw AppError.notFound(
            'reservation_not_found',
            `${request.params.ip} is not reserved in ${network.Name}`,
          );
        }
        return reply.status(204).send(null);
      },
    );
    done();
  };
}
