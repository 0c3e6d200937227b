interface Waiting<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items submitted while a commit is in flight wait and go together in the next
 * one, so work that must be serialised (a lock held across a commit) is paid once per batch
 * rather than once per item. At low load a batch is one item and adds no delay. Written here
 * because batching libraries (DataLoader and the like) batch per tick or per timer, not
 * "everything that arrived during the previous commit".
 */
export class GroupCommitQueue<Item, Result> {
  private waiting: Waiting<Item, Result>[] = [];
  private committing = false;

  /**
   * @param commit commits one batch and returns one result per item, in order; if it throws,
   *   every item of that batch is rejected with the error and the next batch still runs.
   */
  constructor(
    private readonly commit: (items: readonly Item[]) => Promise<readonly Result[]>,
    private readonly maxBatch = 100,
  ) {
    if (!Number.isInteger(maxBatch) || maxBatch < 1) {
      throw new RangeError('maxBatch must be a positive integer');
    }
  }

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.committing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.committing = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.maxBatch);
        await this.commitBatch(batch);
      }
    } finally {
      this.committing = false;
    }
  }

  private async commitBatch(batch: Waiting<Item, Result>[]): Promise<void> {
    try {
      const results = await this.commit(batch.map((waiting) => waiting.item));
      if (results.length !== batch.length) {
        throw new Error(`a batch of ${batch.length} committed ${results.length} results`);
      }
      batch.forEach((waiting, index) => waiting.resolve(results[index] as Result));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}
