import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.ts';

describe('GroupCommit', () => {
  it('sends what was submitted in one tick as one batch, and what arrives meanwhile as the next', async () => {
    const batches: number[][] = [];
    let release: (() => void) | undefined;
    const gate = new Promise<void>((r) => (release = r));
    const commit = new GroupCommit<number, number>(async (batch) => {
      batches.push([...batch]);
      if (batches.length === 1) await gate;
      return batch.map((n) => n * 10);
    }, 100);
    const first = [1, 2, 3].map((n) => commit.submit(n));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1, 2, 3]]);
    const second = [4, 5].map((n) => commit.submit(n));
    await new Promise((r) => setImmediate(r));
    expect(batches).toHaveLength(1); // the first is still in flight: 4 and 5 wait for it
    release!();
    expect(await Promise.all([...first, ...second])).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('splits at the batch limit', async () => {
    const sizes: number[] = [];
    const commit = new GroupCommit<number, number>(async (batch) => (sizes.push(batch.length), [...batch]), 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => commit.submit(n)));
    expect(sizes).toEqual([2, 2, 1]);
  });

  it('fails every item of a failed batch, and the next batch still runs', async () => {
    let fail = true;
    const commit = new GroupCommit<number, number>(async (batch) => {
      if (fail) throw new Error('down');
      return [...batch];
    }, 10);
    const failed = await Promise.allSettled([commit.submit(1), commit.submit(2)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await commit.submit(3)).toBe(3);
  });

  it('a run that answers the wrong number of results fails its batch instead of answering wrong', async () => {
    const commit = new GroupCommit<number, number>(async () => [1], 10);
    const settled = await Promise.allSettled([commit.submit(1), commit.submit(2)]);
    expect(settled.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
