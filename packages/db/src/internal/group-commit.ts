/**
 * Group commit: items added while a commit is in flight (or within the same turn of the event
 * loop) are committed together by the next one, so many concurrent writers share one
 * transaction (and one fsync, or one round trip) instead of queueing one each. Each `add`
 * resolves once its item is committed and rejects, with the commit's error, when it is not.
 */
export class GroupCommit<T> {
  private pending: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly commit: (items: T[]) => Promise<void>,
    private readonly options: {
      /** At most this many items per commit. */
      maxBatch: number;
      /** After each successful commit: how many items, and how long it took. */
      onCommit?: (size: number, ms: number) => void;
    },
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Resolves once every item added so far has been committed or has failed. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    // The items added during this turn of the event loop join the first commit.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.options.maxBatch);
      const started = performance.now();
      try {
        await this.commit(batch.map((entry) => entry.item));
      } catch (err) {
        for (const entry of batch) entry.reject(err);
        continue;
      }
      this.options.onCommit?.(batch.length, performance.now() - started);
      for (const entry of batch) entry.resolve();
    }
    this.draining = undefined;
  }
}
