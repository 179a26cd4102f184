import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { ContainerSample } from '@berth/contract';
import { containerSeries } from '../container-series.js';

const SAMPLE: ContainerSample = {
  hostId: 'local',
  containerId: '3f2a1b2c3d4e',
  name: 'shop-web-1',
  image: 'nginx:1.27',
  composeProject: 'shop',
  composeService: 'web',
  at: '2026-01-02T03:04:05.000Z',
  cpuPercent: 12,
  cpuSecondsTotal: 12.5,
  memoryWorkingSet: 52_428_800,
  memoryLimit: 268_435_456,
  networkRx: 1000,
  networkTx: 2000,
  blockRead: 4096,
  blockWrite: 8192,
  pids: 3,
};

describe('per-container series, named as cAdvisor names them', () => {
  it('writes each sample under its cAdvisor name with host, name, image and compose labels', async () => {
    const registry = new Registry();
    containerSeries(registry, [
      SAMPLE,
      { ...SAMPLE, name: 'solo', composeProject: null, composeService: null },
    ]);
    const text = await registry.metrics();
    const labels =
      'host="local",name="shop-web-1",image="nginx:1.27",compose_project="shop",compose_service="web"';
    for (const line of [
      `container_cpu_usage_seconds_total{${labels}} 12.5`,
      `container_memory_working_set_bytes{${labels}} 52428800`,
      `container_spec_memory_limit_bytes{${labels}} 268435456`,
      `container_network_receive_bytes_total{${labels}} 1000`,
      `container_network_transmit_bytes_total{${labels}} 2000`,
      `container_fs_reads_bytes_total{${labels}} 4096`,
      `container_fs_writes_bytes_total{${labels}} 8192`,
      `container_processes{${labels}} 3`,
      `container_last_seen{${labels}} 1767323045`,
      '# TYPE container_cpu_usage_seconds_total counter',
      '# TYPE container_memory_working_set_bytes gauge',
      'container_cpu_usage_seconds_total{host="local",name="solo",image="nginx:1.27",compose_project="",compose_service=""} 12.5',
    ])
      expect(text.split('\n'), line).toContain(line);
  });

  it('writes the metric families even with no container running', async () => {
    const registry = new Registry();
    containerSeries(registry, []);
    expect(await registry.metrics()).toContain('# TYPE container_cpu_usage_seconds_total counter');
  });
});
