import type { FastifyPluginCallback } from 'fastify';
import { addArchiveParser, rawBody } from '../../http/archive-body.js';
import { sendDownload } from '../../http/download-reply.js';
import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import type { BackupSchedules } from './backup-schedules.js';
import type { VolumeBackups } from './volume-backups.js';
import type { VolumesService } from './volumes-service.js';

export interface VolumesRoutesDeps {
  volumes: VolumesService;
  backups: VolumeBackups;
  schedules: BackupSchedules;
}

/** Volumes, their files (browse, download, unpack an archive), backups, restores and backup schedules. */
export function volumesRoutes({ volumes, backups, schedules }: VolumesRoutesDeps) {
  const routes = contractRoutes('volumes', {
    list: (request) => volumes.list(request.params.host, request.query),
    create: async (request, reply) => {
      const created = await volumes.create(
        requirePrincipal(request).role,
        request.params.host,
        request.body,
      );
      auditInfo(request).target = `${request.params.host}/${created.name}`;
      return reply.status(201).send(created);
    },
    prune: async (request) => {
      const result = await volumes.prune(
        request.params.host,
        request.body.dryRun,
        request.body.label,
      );
      auditInfo(request).details = {
        dryRun: result.dryRun,
        removed: result.removed.map((r) => r.id),
      };
      return result;
    },
    get: (request) => volumes.get(request.params.host, request.params.name),
    remove: (request) => {
      auditInfo(request).target = `${request.params.host}/${request.params.name}`;
      return volumes.remove(request.params.host, request.params.name, request.query.force ?? false);
    },
    files: (request) =>
      volumes.browse(request.params.host, request.params.name, request.query.path),
    downloadFile: async (request, reply) => {
      auditInfo(request).target =
        `${request.params.host}/${request.params.name}:${request.query.path}`;
      const file = await volumes.download(
        request.params.host,
        request.params.name,
        request.query.path,
        request.query.format,
      );
      return sendDownload(reply, file);
    },
    uploadArchive: (request) => {
      auditInfo(request).target =
        `${request.params.host}/${request.params.name}:${request.query.path}`;
      return volumes.uploadArchive(
        request.params.host,
        request.params.name,
        request.query.path,
        rawBody(request.body),
      );
    },
    backups: async (request) => ({
      backups: await backups.list(request.params.host, request.params.name),
    }),
    backup: async (request, reply) => {
      const backup = await backups.create(request.params.host, request.params.name, request.body);
      auditInfo(request).details = {
        id: backup.id,
        sizeBytes: backup.sizeBytes,
        stopped: backup.stoppedContainers,
      };
      return reply.status(201).send(backup);
    },
    downloadBackup: async (request, reply) => {
      const file = await backups.open(
        request.params.host,
        request.params.name,
        request.params.backupId,
      );
      return sendDownload(reply, { ...file, contentType: 'application/gzip' });
    },
    deleteBackup: async (request, reply) => {
      await backups.delete(request.params.host, request.params.name, request.params.backupId);
      return reply.status(204).send(null);
    },
    restore: async (request) => {
      const result = await backups.restore(
        request.params.host,
        request.params.name,
        request.params.backupId,
        request.body.target,
      );
      auditInfo(request).details = result;
      return result;
    },
    schedule: (request) => schedules.get(request.params.host, request.params.name),
    setSchedule: (request) => {
      auditInfo(request).details = request.body;
      return schedules.set(request.params.host, request.params.name, request.body);
    },
    clearSchedule: async (request, reply) => {
      await schedules.clear(request.params.host, request.params.name);
      return reply.status(204).send(null);
    },
  });
  const plugin: FastifyPluginCallback = (app, options, done) => {
    addArchiveParser(app);
    routes(app, options, done);
  };
  return plugin;
}
