/**
 * Audit rows of read-only requests, queued and committed together: one transaction (one fsync)
 * for every few milliseconds of reads instead of one per read. Changes never come through here:
 * they are audited synchronously, in their own transaction. The cost, documented in
 * docs/rest-api.md: a crash may lose the rows of the last batch (at most `maxDelayMs` of reads,
 * at most `maxRows` rows); a clean shutdown commits them (`flush`).
 */

export interface ReadAuditBatchOptions<T> {
  /** Appends the rows in one transaction, in order; throws when nothing was written. */
  write(rows: readonly T[]): void;
  /** Commit at the latest this long after the first row was queued. */
  maxDelayMs?: number;
  /** Commit at once when this many rows are waiting. */
  maxRows?: number;
  /** A failed commit: the rows stay queued and are tried again. */
  onError(error: unknown): void;
}

export interface ReadAuditBatch<T> {
  add(row: T): void;
  /** Commits what is waiting now (before reading the log, verifying it, or closing). */
  flush(): void;
  /** Rows queued and not yet committed. */
  pending(): number;
  /** Commits what is waiting and stops the timer. */
  close(): void;
}

export const READ_AUDIT_MAX_DELAY_MS = 5;
export const READ_AUDIT_MAX_ROWS = 64;
/** After a failed commit, wait this long before trying again (a locked database, a full disk). */
const RETRY_DELAY_MS = 250;

export function createReadAuditBatch<T>(options: ReadAuditBatchOptions<T>): ReadAuditBatch<T> {
  const maxDelayMs = options.maxDelayMs ?? READ_AUDIT_MAX_DELAY_MS;
  const maxRows = options.maxRows ?? READ_AUDIT_MAX_ROWS;
  let queue: T[] = [];
  let timer: NodeJS.Timeout | null = null;

  function schedule(delayMs: number): void {
    if (timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      flush();
    }, delayMs);
    // A pending commit alone does not keep a process alive; shutdown commits through close().
    timer.unref();
  }

  function flush(): void {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    if (queue.length === 0) return;
    const rows = queue;
    queue = [];
    try {
      options.write(rows);
    } catch (error) {
      // Nothing of the batch was written (one transaction): keep its rows, in order, ahead of
      // any queued since, and try again a little later.
      queue = [...rows, ...queue];
      options.onError(error);
      schedule(RETRY_DELAY_MS);
    }
  }

  return {
    add(row) {
      queue.push(row);
      if (queue.length >= maxRows) flush();
      else schedule(maxDelayMs);
    },
    flush,
    pending: () => queue.length,
    close() {
      flush();
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
    },
  };
}
