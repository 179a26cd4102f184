import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { BoundedSender } from '../../http/bounded-sender.js';
import { waitFor } from '../../testing/wait-for.js';
import { computeStats, type RawStats } from '../container-stats.js';
import { SharedStreams } from '../shared-streams.js';

const base: RawStats = {
  read: '2026-11-22T00:00:01Z',
  cpu_stats: {
    cpu_usage: { total_usage: 3_000_000_000 },
    system_cpu_usage: 20_000_000_000,
    online_cpus: 4,
  },
  precpu_stats: { cpu_usage: { total_usage: 1_000_000_000 }, system_cpu_usage: 16_000_000_000 },
  memory_stats: {
    usage: 100_000_000,
    limit: 400_000_000,
    stats: { total_inactive_file: 20_000_000 },
  },
  networks: { eth0: { rx_bytes: 100, tx_bytes: 50 }, eth1: { rx_bytes: 1, tx_bytes: 2 } },
  blkio_stats: {
    io_service_bytes_recursive: [
      { op: 'Read', value: 4096 },
      { op: 'Write', value: 8192 },
      { op: 'Total', value: 12288 },
    ],
  },
  pids_stats: { current: 7 },
};

describe('computeStats', () => {
  it('computes CPU %, memory without cache, and the sums as docker stats does (cgroup v1)', () => {
    expect(computeStats(base)).toEqual({
      read: '2026-11-22T00:00:01Z',
      cpuPercent: 200, // 2e9 of 4e9 system ns, times 4 CPUs
      onlineCpus: 4,
      memory: { usage: 80_000_000, limit: 400_000_000, percent: 20 },
      network: { rxBytes: 101, txBytes: 52 },
      blockIo: { readBytes: 4096, writeBytes: 8192 },
      pids: 7,
    });
  });

  it('uses inactive_file on cgroup v2 and never goes below zero', () => {
    const v2 = computeStats({
      ...base,
      memory_stats: { usage: 50, limit: 100, stats: { inactive_file: 80 } },
    });
    expect(v2.memory.usage).toBe(50);
    const first = computeStats({ ...base, precpu_stats: { cpu_usage: { total_usage: 0 } } });
    expect(first.cpuPercent).toBeGreaterThanOrEqual(0);
    const noCpus = computeStats({
      ...base,
      cpu_stats: {
        cpu_usage: { total_usage: 3_000_000_000, percpu_usage: [1, 2] },
        system_cpu_usage: 20_000_000_000,
      },
    });
    expect(noCpus.onlineCpus).toBe(2);
  });
});

class SlowSocket extends EventEmitter {
  readyState = 1;
  bufferedAmount = 10_000_000;
  sent: string[] = [];
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
    this.emit('close');
  }
}

describe('BoundedSender', () => {
  it('keeps at most maxQueued messages for a slow viewer, drops the oldest, and says how many', async () => {
    const socket = new SlowSocket();
    const sender = new BoundedSender(socket as unknown as WebSocket, 100, 1024);
    for (let i = 0; i < 10_000; i += 1) sender.send(`m${i}`);
    expect(sender.queued).toBe(100);
    expect(socket.sent).toEqual([]);
    socket.bufferedAmount = 0;
    await new Promise((r) => setTimeout(r, 60));
    expect(socket.sent[0]).toBe(JSON.stringify({ type: 'dropped', count: 9_900 }));
    expect(socket.sent.slice(1)).toEqual(Array.from({ length: 100 }, (_, i) => `m${9_900 + i}`));
    expect(sender.droppedTotal).toBe(9_900);
    sender.close();
  });

  it('counts a batch by the lines it carries: drops whole oldest batches, tells the lines lost', async () => {
    const socket = new SlowSocket();
    const sender = new BoundedSender(socket as unknown as WebSocket, 100, 1024);
    for (let i = 0; i < 10; i += 1) sender.send(`batch${i}`, 30);
    // 10 batches of 30 lines: only the newest three (90 lines) fit in 100.
    expect(sender.queued).toBe(90);
    socket.bufferedAmount = 0;
    await waitFor('the backlog sent', () => sender.queued === 0);
    expect(socket.sent).toEqual([
      JSON.stringify({ type: 'dropped', count: 210 }),
      'batch7',
      'batch8',
      'batch9',
    ]);
    // One batch larger than the bound still goes out whole.
    sender.send('huge', 500);
    expect(socket.sent.at(-1)).toBe('huge');
    sender.close();
  });

  it('tells a sender that paces itself when there is room again, and never past a close', async () => {
    const socket = new SlowSocket();
    const sender = new BoundedSender(socket as unknown as WebSocket, 100, 1024);
    await sender.whenRoom();
    for (let i = 0; i < 6; i += 1) sender.send(`batch${i}`, 20);
    let roomy = false;
    const room = sender.whenRoom().then(() => (roomy = true));
    await new Promise((r) => setTimeout(r, 60));
    expect(roomy).toBe(false);
    expect(sender.droppedTotal).toBe(20);
    socket.bufferedAmount = 0;
    await room;
    expect(sender.queued).toBeLessThanOrEqual(50);
    // A closed viewer takes nothing more: a wait for room ends with it.
    socket.bufferedAmount = 10_000_000;
    for (let i = 0; i < 6; i += 1) sender.send(`more${i}`, 20);
    const closed = sender.whenRoom();
    socket.close();
    await closed;
  });
});

describe('SharedStreams', () => {
  it('starts one upstream per key, fans out, and stops it with the last subscriber', () => {
    const hub = new SharedStreams<number>();
    const emitters: ((n: number) => void)[] = [];
    let stopped = 0;
    const start = (e: (n: number) => void) => {
      emitters.push(e);
      return { stop: () => (stopped += 1) };
    };
    const got: number[][] = [[], []];
    const offA = hub.subscribe('k', start, {
      message: (n) => got[0]?.push(n),
      end: () => undefined,
    });
    const offB = hub.subscribe('k', start, {
      message: (n) => got[1]?.push(n),
      end: () => undefined,
    });
    expect(hub.started).toBe(1);
    emitters[0]?.(1);
    expect(emitters).toHaveLength(1);
    expect(got).toEqual([[1], [1]]);
    offA();
    expect(stopped).toBe(0);
    offB();
    expect(stopped).toBe(1);
    expect(hub.active()).toBe(0);
  });
});
