import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type Db } from '../../../core/db/database.js';
import { MetricsRepository, type StoredPoint } from '../metrics-repository.js';
import { niceStep } from '../metrics-service.js';
import { ratePerSecond } from '../stats-reading.js';

const point = (cpu: number, mem = 100, rx = 0): StoredPoint => ({
  subject: 'c1',
  cpu,
  mem,
  memLimit: 1000,
  rx,
  tx: 0,
  rd: 0,
  wr: 0,
  pids: 1,
});

// An hour boundary: every step of these tests starts a bucket there (epoch seconds).
const T0 = 1_800_000_000 - (1_800_000_000 % 3600);

describe('metrics rollups and retention (real SQLite)', () => {
  let db: Db;
  let repo: MetricsRepository;
  beforeEach(async () => {
    db = openDatabase(':memory:');
    await migrateToLatest(db);
    repo = new MetricsRepository(db);
  });
  afterEach(() => db.destroy());

  it('folds samples into running averages and maxima at each resolution', async () => {
    for (const [i, cpu] of [10, 20, 30, 40].entries())
      await repo.write('h', T0 + i * 15, [point(cpu, 100 * (i + 1))]);
    const raw = await repo.query('h', 'c1', 0, T0, T0 + 60, 1);
    expect(raw.map((p) => p.cpu)).toEqual([10, 20, 30, 40]);
    const [minute] = await repo.query('h', 'c1', 60, T0, T0 + 60, 60);
    expect(minute).toMatchObject({ bucket: T0, cpu: 25, cpuMax: 40, mem: 250, memMax: 400 });
    const [quarter] = await repo.query('h', 'c1', 900, T0, T0 + 900, 900);
    expect(quarter).toMatchObject({ cpu: 25, cpuMax: 40 });
  });

  it('weights each rollup row by its samples when a query step spans several', async () => {
    // Minute one: three samples of 10; minute two: one sample of 40 → (30 + 40) / 4.
    for (const offset of [0, 15, 30]) await repo.write('h', T0 + offset, [point(10)]);
    await repo.write('h', T0 + 60, [point(40)]);
    const [both] = await repo.query('h', 'c1', 60, T0, T0 + 120, 120);
    expect(both?.cpu).toBeCloseTo(17.5, 10);
    expect(both?.cpuMax).toBe(40);
    // The same from the raw rows: the two agree.
    const [fromRaw] = await repo.query('h', 'c1', 0, T0, T0 + 120, 120);
    expect(fromRaw?.cpu).toBeCloseTo(17.5, 10);
  });

  it('keeps hosts and subjects apart', async () => {
    await repo.write('h', T0, [point(10), { ...point(90), subject: 'host' }]);
    await repo.write('other', T0, [point(50)]);
    expect((await repo.query('h', 'c1', 60, T0, T0 + 60, 60))[0]?.cpu).toBe(10);
    expect((await repo.query('h', 'host', 60, T0, T0 + 60, 60))[0]?.cpu).toBe(90);
    expect((await repo.query('other', 'c1', 60, T0, T0 + 60, 60))[0]?.cpu).toBe(50);
  });

  it('drops rows past their retention, finer resolutions sooner', async () => {
    const day = 86_400;
    await repo.write('h', T0, [point(10)]);
    const retention = { rawSeconds: day, minuteSeconds: 7 * day, quarterSeconds: 90 * day };
    await repo.prune(T0 + 2 * day, { ...retention, maxRows: 1_000 });
    expect(await repo.query('h', 'c1', 0, T0, T0 + 60, 1)).toEqual([]);
    expect(await repo.query('h', 'c1', 60, T0, T0 + 60, 60)).toHaveLength(1);
    await repo.prune(T0 + 8 * day, { ...retention, maxRows: 1_000 });
    expect(await repo.query('h', 'c1', 60, T0, T0 + 60, 60)).toEqual([]);
    expect(await repo.query('h', 'c1', 900, T0, T0 + 900, 900)).toHaveLength(1);
    await repo.prune(T0 + 91 * day, { ...retention, maxRows: 1_000 });
    expect(await repo.count()).toBe(0);
  });

  it('keeps within the size budget by dropping the oldest raw rows first', async () => {
    for (let i = 0; i < 10; i += 1) await repo.write('h', T0 + i * 15, [point(i)]);
    // 10 raw rows, 3 minute rows (0-45, 60-105, 120-135), 1 quarter row: 14.
    expect(await repo.count()).toBe(14);
    const removed = await repo.prune(T0, {
      rawSeconds: 86_400,
      minuteSeconds: 86_400,
      quarterSeconds: 86_400,
      maxRows: 8,
    });
    expect(removed).toBe(6);
    const raw = await repo.query('h', 'c1', 0, T0, T0 + 900, 1);
    expect(raw.map((p) => p.cpu)).toEqual([6, 7, 8, 9]);
    expect(await repo.query('h', 'c1', 60, T0, T0 + 900, 60)).toHaveLength(3);
  });

  it('rounds steps to readable ones, whole multiples of the resolution', () => {
    expect(niceStep(1, 0)).toBe(1);
    expect(niceStep(7, 0)).toBe(10);
    expect(niceStep(61, 60)).toBe(120);
    expect(niceStep(301, 900)).toBe(900);
    expect(niceStep(1000, 900)).toBe(1800);
  });

  it('turns counters into rates, a counter that went back into none', () => {
    expect(ratePerSecond(3000, 1000, 2)).toBe(1000);
    expect(ratePerSecond(10, 5000, 2)).toBe(0);
    expect(ratePerSecond(10, undefined, 2)).toBe(0);
  });
});
