import type { ComposeService } from '@berth/contract';
import type { Unsupported } from './service-spec.js';

type Key = keyof ComposeService;

/** Service keys a swarm service has no field for (docker stack deploy ignores them too), and why. */
const IGNORED: [Key, string][] = [
  ['build', 'swarm builds nothing: the image must be in a registry (or on every node)'],
  ['container_name', 'swarm names the tasks <stack>_<service>.<slot>'],
  ['network_mode', 'services join the stack networks; network_mode ignored'],
  ['devices', 'swarm services cannot map devices'],
  ['privileged', 'swarm services cannot run privileged'],
  ['pid', 'swarm services share no pid namespace'],
  ['ipc', 'swarm services share no ipc namespace'],
  ['shm_size', 'swarm services take no shm_size (mount a tmpfs on /dev/shm)'],
  ['security_opt', 'swarm services take no security_opt'],
  ['domainname', 'swarm services take no domainname'],
  ['expose', 'services reach each other on every port of their networks; expose is documentation'],
  ['pull_policy', 'each node pulls when it lacks the image; pull_policy ignored'],
  ['tmpfs', 'use a volume of type tmpfs; tmpfs ignored'],
];

/** Names what a compose service sets that a swarm service does not honour as such. */
export function unsupportedFields(service: ComposeService, unsupported: Unsupported): void {
  for (const [key, why] of IGNORED) {
    const value = service[key];
    if (value === undefined || value === false || (Array.isArray(value) && value.length === 0))
      continue;
    unsupported(key, why);
  }
  for (const [dep, spec] of Object.entries(service.depends_on))
    unsupported(
      `depends_on.${dep}`,
      spec.condition === 'service_started'
        ? 'swarm starts services in no order'
        : `swarm starts services in no order and does not wait for ${spec.condition}`,
    );
  if (service.restart !== undefined)
    unsupported(
      'restart',
      service.deploy?.restart_policy
        ? 'deploy.restart_policy decides; restart ignored'
        : `not a swarm option: taken as deploy.restart_policy (as docker stack deploy does); write deploy.restart_policy instead`,
    );
}
