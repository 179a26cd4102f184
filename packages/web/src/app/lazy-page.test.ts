import { describe, expect, it } from 'vitest';
import { retrying } from './lazy-page.js';

/** A download that fails `failures` times, then answers. */
function flaky(failures: number): { load: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    load: () => {
      calls += 1;
      return calls <= failures
        ? Promise.reject(new TypeError('Failed to fetch dynamically imported module'))
        : Promise.resolve('page');
    },
    calls: () => calls,
  };
}

describe("a page's code download", () => {
  it('is asked for again after a failure, and answers once it arrives', async () => {
    const download = flaky(2);
    await expect(retrying(download.load, [0, 0, 0])).resolves.toBe('page');
    expect(download.calls()).toBe(3);
  });

  it('gives up after every retry failed, with the last failure', async () => {
    const download = flaky(10);
    await expect(retrying(download.load, [0, 0])).rejects.toThrow('dynamically imported module');
    expect(download.calls()).toBe(3);
  });
});
