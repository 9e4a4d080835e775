interface Queued<T, R> {
  readonly item: T;
  readonly resolve: (result: R) => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Group commit: callers submit one item each, and the items go out together, one call of
 * `run` per batch. While a batch is in flight the next items queue, and go as the next batch
 * when it returns — no timer, no added wait when idle, and under load each round trip carries
 * everything that arrived meanwhile. The first batch starts on `setImmediate`, once the poll
 * phase that produced the items is done: started synchronously, the first item of an I/O
 * callback would go alone and the rest wait a whole round trip behind it.
 *
 * `run` returns one result per item, in order; if it throws, every item of that batch fails
 * with the error. Round trips are the CPU of a request here (each is a syscall on both ends),
 * which is why the hot paths share them.
 */
export class GroupCommit<T, R> {
  #queue: Queued<T, R>[] = [];
  #running = false;

  constructor(
    private readonly run: (batch: readonly T[]) => Promise<readonly R[]>,
    private readonly maxBatch: number,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (this.#running) return;
      this.#running = true;
      setImmediate(() => void this.#drain());
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.maxBatch);
        try {
          const results = await this.run(batch.map((q) => q.item));
          if (results.length !== batch.length) throw new Error(`a group commit returned ${results.length} results for ${batch.length} items`);
          batch.forEach((q, i) => q.resolve(results[i]!));
        } catch (err) {
          for (const q of batch) q.reject(err);
        }
      }
    } finally {
      this.#running = false;
    }
  }
}
