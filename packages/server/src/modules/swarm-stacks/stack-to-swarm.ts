import type { ComposeProject, SwarmUnsupported } from '@berth/contract';
import type { RawNetworkCreate, RawServiceSpec } from '../../docker/swarm-types.js';
import { serviceSpec } from './service-spec.js';
import { withNamespace } from './swarm-labels.js';
import { unsupportedFields } from './unsupported.js';

export interface SwarmNetwork {
  key: string;
  name: string;
  external: boolean;
  spec: RawNetworkCreate;
}

/** A secret or config of the stack: the file (or text) its data comes from. */
export interface SwarmFileObject {
  key: string;
  name: string;
  external: boolean;
  labels: Record<string, string>;
  /** Absolute path of the file (read by the caller, confined to the stack folder). */
  file?: string;
  /** Inline or environment content. */
  content?: string;
}

export interface SwarmService {
  key: string;
  spec: RawServiceSpec;
}

export interface SwarmStack {
  namespace: string;
  networks: SwarmNetwork[];
  secrets: SwarmFileObject[];
  configs: SwarmFileObject[];
  services: SwarmService[];
  unsupported: SwarmUnsupported[];
}

const byName = <T extends { name: string }>(a: T, b: T): number => a.name.localeCompare(b.name);

/**
 * A compose project loaded for a swarm (its name is the namespace) → what `docker stack deploy`
 * sends to the Engine API: overlay networks, secrets, configs and service specs, every object
 * labelled with the namespace; and everything the files say that swarm will not honour.
 */
export function stackToSwarm(
  project: ComposeProject,
  ignored: SwarmUnsupported[] = [],
): SwarmStack {
  const namespace = project.name;
  const unsupported: SwarmUnsupported[] = [
    ...ignored,
    ...project.disabled_services.map((service) => ({
      service,
      field: 'profiles',
      message: 'left out: none of its profiles is active (docker stack deploy knows no profiles)',
    })),
  ];
  const used = new Set(
    Object.values(project.services).flatMap((s) => Object.keys(s.networks ?? {})),
  );
  const networks: SwarmNetwork[] = Object.entries(project.networks)
    .filter(([key]) => used.has(key))
    .map(([key, net]) => {
      const ipam = net.ipam;
      const spec: RawNetworkCreate = {
        Name: net.name,
        Driver: net.driver ?? 'overlay',
        Scope: 'swarm',
        Labels: withNamespace(namespace, net.labels),
        ...(net.driver_opts ? { Options: net.driver_opts } : {}),
        ...(net.internal ? { Internal: true } : {}),
        ...(net.attachable ? { Attachable: true } : {}),
        ...(net.enable_ipv6 ? { EnableIPv6: true } : {}),
        ...(ipam
          ? {
              IPAM: {
                ...(ipam.driver ? { Driver: ipam.driver } : {}),
                ...(ipam.config
                  ? {
                      Config: ipam.config.map((c) => ({
                        ...(c.subnet ? { Subnet: c.subnet } : {}),
                        ...(c.gateway ? { Gateway: c.gateway } : {}),
                        ...(c.ip_range ? { IPRange: c.ip_range } : {}),
                      })),
                    }
                  : {}),
              },
            }
          : {}),
      };
      return { key, name: net.name, external: net.external === true, spec };
    })
    .sort(byName);
  const files = (kind: 'secrets' | 'configs'): SwarmFileObject[] =>
    Object.entries(project[kind])
      .map(([key, object]) => ({
        key,
        name: object.name,
        external: object.external === true,
        labels: withNamespace(namespace, undefined),
        ...(object.file !== undefined ? { file: object.file } : {}),
        ...(object.content !== undefined ? { content: object.content } : {}),
      }))
      .sort(byName);
  const services = Object.entries(project.services)
    .map(([key, service]) => {
      const note = (field: string, message: string) =>
        unsupported.push({ service: key, field, message });
      if (service.image === undefined)
        note('image', 'a swarm service needs an image (swarm builds nothing)');
      unsupportedFields(service, note);
      return { key, spec: serviceSpec(key, service, project, note) };
    })
    .sort((a, b) => a.spec.Name.localeCompare(b.spec.Name));
  return {
    namespace,
    networks,
    secrets: files('secrets'),
    configs: files('configs'),
    services,
    unsupported,
  };
}
