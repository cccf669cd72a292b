import { afterEach, describe, expect, it } from 'vitest';
import { openTempDb, type TempDb } from '../../../test-support/temp-db.js';
import { migrate } from '../migrate.js';

describe('migration 028 (sync order by kind)', () => {
  let t: TempDb;
  afterEach(() => t.dispose());

  it("lets the due-items check seek a study's other kinds by the new index", () => {
    t = openTempDb();
    migrate(t.db);
    const plan = t.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT 1 FROM sync_items e
         WHERE e.destination_id = ? AND e.order_key = ?
           AND e.kind IN (CASE ? WHEN 'original' THEN 'segmentation' ELSE 'original' END,
                          CASE ? WHEN 'report' THEN 'segmentation' ELSE 'report' END)
           AND e.id < ? AND e.state IN ('pending','sending')`,
      )
      .all('d', 's', 'original', 'original', 10) as { detail: string }[];
    expect(plan.map((r) => r.detail).join(' ')).toMatch(
      /sync_items_order_kind \(destination_id=\? AND order_key=\? AND kind=\? AND id<\?\)/,
    );
  });
});
