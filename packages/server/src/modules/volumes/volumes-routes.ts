import {
  ActionCli,
  BackupCreate,
  BackupParams,
  BackupSchedule,
  BackupScheduleView,
  DirectoryListing,
  ErrorBody,
  FileDownloadQuery,
  FilePathQuery,
  HostParams,
  NoContent,
  PruneResult,
  PruneVolumesRequest,
  RestoreRequest,
  RestoreResult,
  VolumeBackup,
  VolumeBackupList,
  VolumeCreate,
  VolumeList,
  VolumeListQuery,
  VolumeParams,
  VolumeRemoveQuery,
  VolumeSummary,
} from '@berth/contract';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import type { BackupSchedules } from './backup-schedules.js';
import type { VolumeBackups } from './volume-backups.js';
import type { VolumesService } from './volumes-service.js';

const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export interface VolumesRoutesDeps {
  volumes: VolumesService;
  backups: VolumeBackups;
  schedules: BackupSchedules;
}

/** Volumes, their files (read-only), backups, restores and backup schedules. */
export function volumesRoutes({
  volumes,
  backups,
  schedules,
}: VolumesRoutesDeps): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    const base = '/api/hosts/:host/volumes';
    app.get(
      base,
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['volumes'],
          summary: 'Volumes with who uses them; sizes with ?size=true (slow)',
          description: 'Equivalent: `docker volume ls`',
          params: HostParams,
          querystring: VolumeListQuery,
          response: { 200: VolumeList, 404: ErrorBody },
        },
      },
      (request) => volumes.list(request.params.host, request.query),
    );
    app.post(
      base,
      {
        config: { permission: 'host:write', audit: 'volume.create' },
        schema: {
          tags: ['volumes'],
          summary: 'Create',
          description: 'Equivalent: `docker volume create`',
          params: HostParams,
          body: VolumeCreate,
          response: { 201: VolumeSummary.extend({ cli: z.string() }), ...errors },
        },
      },
      async (request, reply) => {
        const created = await volumes.create(
          requirePrincipal(request).role,
          request.params.host,
          request.body,
        );
        auditInfo(request).target = `${request.params.host}/${created.name}`;
        return reply.status(201).send(created);
      },
    );
    app.post(
      `${base}/prune`,
      {
        config: { permission: 'host:write', audit: 'volume.prune' },
        schema: {
          tags: ['volumes'],
          summary: 'Remove unused volumes; dryRun (the default) only lists them',
          description: 'Equivalent: `docker volume prune --all`',
          params: HostParams,
          body: PruneVolumesRequest,
          response: { 200: PruneResult, ...errors },
        },
      },
      async (request) => {
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
    );
    app.get(
      `${base}/:name`,
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['volumes'],
          summary: 'Inspect',
          description: 'Equivalent: `docker volume inspect`',
          params: VolumeParams,
          response: { 200: VolumeSummary, ...errors },
        },
      },
      (request) => volumes.get(request.params.host, request.params.name),
    );
    app.delete(
      `${base}/:name`,
      {
        config: { permission: 'host:write', audit: 'volume.remove' },
        schema: {
          tags: ['volumes'],
          summary: 'Remove',
          description: 'Equivalent: `docker volume rm`',
          params: VolumeParams,
          querystring: VolumeRemoveQuery,
          response: { 200: ActionCli, ...errors },
        },
      },
      (request) => {
        auditInfo(request).target = `${request.params.host}/${request.params.name}`;
        return volumes.remove(
          request.params.host,
          request.params.name,
          request.query.force ?? false,
        );
      },
    );
    app.get(
      `${base}/:name/files`,
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['volumes'],
          summary: 'List a folder of the volume (read-only)',
          params: VolumeParams,
          querystring: FilePathQuery,
          response: { 200: DirectoryListing, ...errors },
        },
      },
      (request) => volumes.browse(request.params.host, request.params.name, request.query.path),
    );
    app.get(
      `${base}/:name/files/download`,
      {
        config: { permission: 'host:write', audit: 'volume.file_download' },
        schema: {
          tags: ['volumes'],
          summary: 'Download a file (as itself) or a folder (as tar) of the volume',
          description:
            'Links are followed only within the volume; one that leads out of it is refused (400).',
          params: VolumeParams,
          querystring: FileDownloadQuery,
        },
      },
      async (request, reply) => {
        auditInfo(request).target =
          `${request.params.host}/${request.params.name}:${request.query.path}`;
        const file = await volumes.download(
          request.params.host,
          request.params.name,
          request.query.path,
          request.query.format,
        );
        if (file.size !== undefined) reply.header('content-length', file.size);
        return reply
          .header('content-type', file.contentType)
          .header(
            'content-disposition',
            `attachment; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`,
          )
          .send(file.body);
      },
    );

    app.get(
      `${base}/:name/backups`,
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['volumes'],
          summary: 'Backups of the volume',
          params: VolumeParams,
          response: { 200: VolumeBackupList, ...errors },
        },
      },
      async (request) => ({
        backups: await backups.list(request.params.host, request.params.name),
      }),
    );
    app.post(
      `${base}/:name/backups`,
      {
        config: { permission: 'host:write', audit: 'volume.backup' },
        schema: {
          tags: ['volumes'],
          summary: 'Back up to a compressed tar in the data directory',
          params: VolumeParams,
          body: BackupCreate,
          response: { 201: VolumeBackup, ...errors },
        },
      },
      async (request, reply) => {
        const backup = await backups.create(request.params.host, request.params.name, request.body);
        auditInfo(request).details = {
          id: backup.id,
          sizeBytes: backup.sizeBytes,
          stopped: backup.stoppedContainers,
        };
        return reply.status(201).send(backup);
      },
    );
    app.get(
      `${base}/:name/backups/:backupId/download`,
      {
        config: { permission: 'host:write', audit: 'volume.backup_download' },
        schema: { tags: ['volumes'], summary: 'Download a backup (.tar.gz)', params: BackupParams },
      },
      async (request, reply) => {
        const file = await backups.open(
          request.params.host,
          request.params.name,
          request.params.backupId,
        );
        return reply
          .header('content-type', 'application/gzip')
          .header('content-disposition', `attachment; filename="${file.filename}"`)
          .send(file.body);
      },
    );
    app.delete(
      `${base}/:name/backups/:backupId`,
      {
        config: { permission: 'host:write', audit: 'volume.backup_delete' },
        schema: {
          tags: ['volumes'],
          summary: 'Delete a backup',
          params: BackupParams,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        await backups.delete(request.params.host, request.params.name, request.params.backupId);
        return reply.status(204).send(null);
      },
    );
    app.post(
      `${base}/:name/backups/:backupId/restore`,
      {
        config: { permission: 'host:write', audit: 'volume.restore' },
        schema: {
          tags: ['volumes'],
          summary: 'Restore into a new volume, or an existing empty one',
          params: BackupParams,
          body: RestoreRequest,
          response: { 200: RestoreResult, ...errors },
        },
      },
      async (request) => {
        const result = await backups.restore(
          request.params.host,
          request.params.name,
          request.params.backupId,
          request.body.target,
        );
        auditInfo(request).details = result;
        return result;
      },
    );
    app.get(
      `${base}/:name/backup-schedule`,
      {
        config: { permission: 'host:read' },
        schema: {
          tags: ['volumes'],
          summary: 'The backup schedule, if any',
          params: VolumeParams,
          response: { 200: BackupScheduleView.nullable(), ...errors },
        },
      },
      (request) => schedules.get(request.params.host, request.params.name),
    );
    app.put(
      `${base}/:name/backup-schedule`,
      {
        config: { permission: 'host:write', audit: 'volume.backup_schedule' },
        schema: {
          tags: ['volumes'],
          summary: 'Back up every N hours, keeping the newest K',
          params: VolumeParams,
          body: BackupSchedule,
          response: { 200: BackupScheduleView, ...errors },
        },
      },
      async (request) => {
        await volumes.get(request.params.host, request.params.name);
        auditInfo(request).details = request.body;
        return schedules.set(request.params.host, request.params.name, request.body);
      },
    );
    app.delete(
      `${base}/:name/backup-schedule`,
      {
        config: { permission: 'host:write', audit: 'volume.backup_schedule_clear' },
        schema: {
          tags: ['volumes'],
          summary: 'Stop scheduled backups',
          params: VolumeParams,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        await schedules.clear(request.params.host, request.params.name);
        return reply.status(204).send(null);
      },
    );
    done();
  };
}
