/**
 * Waits until every promise has settled, then throws the first failure in the order given. For
 * statements of one transaction sent without waiting for each other's answers (they go out
 * pipelined on the transaction's connection): the transaction must not end, by commit or by
 * rollback, while one of its statements is still on its way, or that statement would run after
 * it, outside the transaction. Promise.all would give up at the first failure.
 */
export async function settleAll(promises: ReadonlyArray<Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

export type Pending = { add: (statement: Promise<unknown>) => void; settled: () => Promise<void> };

/**
 * Statements started one after another without waiting for their answers, and awaited together
 * with `settled()`. A failure is held until then (never an unhandled rejection meanwhile).
 */
export function createPending(): Pending {
  const started: Array<Promise<unknown>> = [];
  return {
    add(statement: Promise<unknown>): void {
      // Observed at once: a statement may fail while the caller still awaits something else.
      statement.catch(() => undefined);
      started.push(statement);
    },
    settled: async (): Promise<void> => {
      await settleAll(started);
    },
  };
}
