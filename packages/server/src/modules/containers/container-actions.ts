import type {
  BulkAction,
  BulkResult,
  ContainerActionResult,
  ContainerUpdate,
} from '@berth/contract';
import { formatSize } from '@berth/contract';
import { AppError, errorMessage } from '../../core/errors.js';
import { dockerCommand } from '../../core/docker-command.js';
import { EngineRequestError } from '../../docker/engine-errors.js';
import type { ContainersService, ResolvedContainer } from './containers-service.js';

type Action = 'start' | 'stop' | 'restart' | 'kill' | 'pause' | 'unpause';

/** Lifecycle actions, live updates, rename, remove and bulk actions on containers. */
export class ContainerActions {
  constructor(private readonly containers: ContainersService) {}

  async act(
    hostId: string,
    ref: string,
    action: Action,
    options: { timeoutS?: number; signal?: string } = {},
  ): Promise<ContainerActionResult> {
    const target = await this.containers.resolve(hostId, ref);
    const { api, id, name } = target;
    switch (action) {
      case 'start':
        await api.start(id);
        return this.result(target, dockerCommand('start', name));
      case 'stop':
        await api.stop(id, options.timeoutS);
        return this.result(
          target,
          dockerCommand(
            'stop',
            ...(options.timeoutS !== undefined ? ['--time', options.timeoutS] : []),
            name,
          ),
        );
      case 'restart':
        await api.restart(id, options.timeoutS);
        return this.result(
          target,
          dockerCommand(
            'restart',
            ...(options.timeoutS !== undefined ? ['--time', options.timeoutS] : []),
            name,
          ),
        );
      case 'kill':
        await api.kill(id, options.signal);
        return this.result(
          target,
          dockerCommand('kill', ...(options.signal ? ['--signal', options.signal] : []), name),
        );
      case 'pause':
        await api.pause(id);
        return this.result(target, dockerCommand('pause', name));
      case 'unpause':
        await api.unpause(id);
        return this.result(target, dockerCommand('unpause', name));
    }
  }

  async rename(hostId: string, ref: string, newName: string): Promise<ContainerActionResult> {
    const target = await this.containers.resolve(hostId, ref);
    await target.api.rename(target.id, newName);
    return this.result({ ...target, name: newName }, dockerCommand('rename', target.name, newName));
  }

  async remove(
    hostId: string,
    ref: string,
    options: { force?: boolean; volumes?: boolean },
  ): Promise<ContainerActionResult> {
    const target = await this.containers.resolve(hostId, ref);
    try {
      await target.api.remove(target.id, options);
      await target.host.state.refreshNow('container', target.id);
    } catch (err) {
      if (err instanceof EngineRequestError && err.statusCode === 409) {
        throw AppError.conflict(
          'container_running',
          `${target.name} is running: stop it first, or remove with force`,
        );
      }
      throw err;
    }
    const flags = [
      ...(options.force ? ['--force'] : []),
      ...(options.volumes ? ['--volumes'] : []),
    ];
    return {
      id: target.id,
      name: target.name,
      state: 'removed',
      cli: dockerCommand('rm', ...flags, target.name),
    };
  }

  /** Changes limits and restart policy of a live container, without recreating it. */
  async update(
    hostId: string,
    ref: string,
    update: ContainerUpdate,
  ): Promise<ContainerActionResult> {
    const target = await this.containers.resolve(hostId, ref);
    await target.api.update(target.id, {
      ...(update.memoryBytes !== undefined ? { Memory: update.memoryBytes, MemorySwap: -1 } : {}),
      ...(update.cpus !== undefined ? { NanoCpus: Math.round(update.cpus * 1e9) } : {}),
      ...(update.pidsLimit !== undefined ? { PidsLimit: update.pidsLimit } : {}),
      ...(update.restartPolicy
        ? {
            RestartPolicy: {
              Name: update.restartPolicy.name,
              MaximumRetryCount: update.restartPolicy.maximumRetryCount ?? 0,
            },
          }
        : {}),
    });
    const restart = update.restartPolicy;
    return this.result(
      target,
      dockerCommand(
        'update',
        ...(update.memoryBytes !== undefined
          ? ['--memory', formatSize(update.memoryBytes), '--memory-swap', -1]
          : []),
        ...(update.cpus !== undefined ? ['--cpus', update.cpus] : []),
        ...(update.pidsLimit !== undefined ? ['--pids-limit', update.pidsLimit] : []),
        ...(restart
          ? [
              '--restart',
              restart.name === 'on-failure' && restart.maximumRetryCount
                ? `on-failure:${restart.maximumRetryCount}`
                : restart.name,
            ]
          : []),
        target.name,
      ),
    );
  }

  /** Runs one action on many containers; one result per item, failures included. */
  async bulk(hostId: string, request: BulkAction): Promise<BulkResult> {
    const results = await Promise.all(
      [...new Set(request.ids)].map(async (ref) => {
        try {
          const done =
            request.action === 'remove'
              ? await this.remove(hostId, ref, { force: request.force })
              : request.action === 'set-environment'
                ? await this.containers.setEnvironment(hostId, ref, request.environment ?? null)
                : await this.act(hostId, ref, request.action);
          return { id: done.id, ok: true, name: done.name };
        } catch (err) {
          const code =
            err instanceof AppError
              ? err.code
              : err instanceof EngineRequestError
                ? 'engine_error'
                : 'failed';
          return { id: ref, ok: false, name: null, error: { code, message: errorMessage(err) } };
        }
      }),
    );
    const succeeded = results.filter((r) => r.ok).length;
    const names = results.filter((r) => r.ok).map((r) => r.name ?? r.id);
    return {
      results,
      succeeded,
      failed: results.length - succeeded,
      // Environment tags are Berth's own: docker has no command for them.
      cli:
        request.action === 'set-environment'
          ? ''
          : dockerCommand(
              request.action === 'remove' ? 'rm' : request.action,
              ...(request.action === 'remove' && request.force ? ['--force'] : []),
              ...names,
            ),
    };
  }

  private async result(target: ResolvedContainer, command: string): Promise<ContainerActionResult> {
    const inspect = await target.api.find(target.id);
    return {
      id: target.id,
      name: target.name,
      state: inspect?.State.Status ?? 'removed',
      cli: command,
    };
  }
}
