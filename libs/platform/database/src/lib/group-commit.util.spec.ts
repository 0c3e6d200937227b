import { GroupCommitQueue } from './group-commit.util';

/** A commit the test finishes by hand, recording each batch it was given. */
function controllableCommit() {
  const batches: number[][] = [];
  const finishers: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const commit = (items: readonly number[]) => {
    batches.push([...items]);
    return new Promise<number[]>((resolve, reject) => {
      finishers.push({ resolve: () => resolve(items.map((item) => item * 10)), reject });
    });
  };
  return { batches, finishers, commit };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommitQueue', () => {
  it('commits a lone item at once, in a batch of its own', async () => {
    const { batches, finishers, commit } = controllableCommit();
    const queue = new GroupCommitQueue(commit);
    const result = queue.submit(1);
    expect(batches).toEqual([[1]]);
    finishers[0]?.resolve();
    await expect(result).resolves.toBe(10);
  });

  it('gathers what arrives during a commit into the next batch, in order', async () => {
    const { batches, finishers, commit } = controllableCommit();
    const queue = new GroupCommitQueue(commit);
    const first = queue.submit(1);
    const later = [2, 3, 4].map((item) => queue.submit(item));
    expect(batches).toEqual([[1]]);
    finishers[0]?.resolve();
    await settle();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    finishers[1]?.resolve();
    await expect(first).resolves.toBe(10);
    await expect(Promise.all(later)).resolves.toEqual([20, 30, 40]);
  });

  it('never puts more than maxBatch items in one commit', async () => {
    const { batches, finishers, commit } = controllableCommit();
    const queue = new GroupCommitQueue(commit, 2);
    const results = [1, 2, 3, 4, 5].map((item) => queue.submit(item));
    for (let batch = 0; batch < 3; batch++) {
      finishers[batch]?.resolve();
      await settle();
    }
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
    await expect(Promise.all(results)).resolves.toEqual([10, 20, 30, 40, 50]);
  });

  it('rejects every item of a failed batch with its error, and still commits the next', async () => {
    const { batches, finishers, commit } = controllableCommit();
    const queue = new GroupCommitQueue(commit);
    const first = queue.submit(1);
    const failing = [2, 3].map((item) => queue.submit(item));
    finishers[0]?.resolve();
    await settle();
    const afterFailure = queue.submit(4);
    finishers[1]?.reject(new Error('connection lost'));
    for (const result of failing) await expect(result).rejects.toThrow('connection lost');
    await settle();
    expect(batches).toEqual([[1], [2, 3], [4]]);
    finishers[2]?.resolve();
    await expect(first).resolves.toBe(10);
    await expect(afterFailure).resolves.toBe(40);
  });

  it('rejects a batch whose commit returns the wrong number of results', async () => {
    const queue = new GroupCommitQueue((items: readonly number[]) =>
      Promise.resolve(items.slice(1)),
    );
    await expect(queue.submit(1)).rejects.toThrow('a batch of 1 committed 0 results');
  });

  it('refuses a batch size that is not a positive integer', () => {
    const commit = (items: readonly number[]) => Promise.resolve([...items]);
    expect(() => new GroupCommitQueue(commit, 0)).toThrow(RangeError);
    expect(() => new GroupCommitQueue(commit, 1.5)).toThrow(RangeError);
  });
});
