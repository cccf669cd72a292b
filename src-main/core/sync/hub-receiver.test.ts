import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubRecord } from '../../../src-shared/contract/sync.js';
import { openTempDb, type TempDb } from '../../test-support/temp-db.js';
import { createHubReceiver, sha256Hex, type HubReceiver } from './hub-receiver.js';

const NOW = '2026-12-03T10:00:00.000Z';

/** A workstation's change of one record: its payload text, and the hash of what it changed. */
function change(
  id: string,
  version: number,
  payload: Record<string, unknown>,
  base: Record<string, unknown> | null,
  entity = 'report',
  op: HubRecord['op'] = 'update',
): HubRecord {
  return {
    entity,
    id,
    op,
    version,
    changedAt: String(payload['updatedAt'] ?? NOW),
    payloadJson: JSON.stringify(payload),
    baseHash: base === null ? null : sha256Hex(JSON.stringify(base)),
  };
}

describe('hub receiver: idempotent by (workstation, record, version), with the conflict policy', () => {
  let t: TempDb;
  let hub: HubReceiver;
  beforeEach(() => {
    t = openTempDb();
    hub = createHubReceiver(t.db);
  });
  afterEach(() => t.dispose());

  const send = (origin: string, ...records: HubRecord[]) =>
    hub.receive({ origin, records, audit: [] }, NOW, 'ws').records.map((r) => r.outcome);

  const draft = { id: 'r1', status: 'draft', impression: '', updatedAt: '2026-12-01T08:00:00Z' };
  const editedA = { ...draft, impression: 'Edited on A', updatedAt: '2026-12-02T09:00:00Z' };
  const signedB = {
    ...draft,
    status: 'final',
    impression: 'Signed on B',
    signedAt: '2026-12-02T08:00:00Z',
    updatedAt: '2026-12-02T08:00:00Z',
  };

  it('applies a first version, answers a resend duplicate, applies a change made on top of it', () => {
    expect(send('ws-a', change('r1', 1, draft, null, 'report', 'create'))).toEqual(['applied']);
    expect(send('ws-a', change('r1', 1, draft, null, 'report', 'create'))).toEqual(['duplicate']);
    expect(send('ws-a', change('r1', 2, editedA, draft))).toEqual(['applied']);
    const [view] = hub.records({ conflictsOnly: false, recordId: 'r1', limit: 10 });
    expect(view).toMatchObject({ conflict: false, current: { origin: 'ws-a', version: 2 } });
    expect(view?.versions.map((v) => v.outcome)).toEqual(['applied', 'applied']);
    expect(hub.counts()).toMatchObject({ versions: 2, records: 1, conflicts: 0 });
  });

  it('a copy of the same record from another workstation is a duplicate, not a conflict', () => {
    send('ws-a', change('r1', 1, draft, null, 'report', 'create'));
    expect(send('ws-b', change('r1', 7, draft, null, 'report', 'create'))).toEqual(['duplicate']);
    expect(hub.counts().conflicts).toBe(0);
  });

  it('a report signed on B and edited as a draft on A: conflict, both kept, the signed one shown, in either order', () => {
    for (const order of [
      ['ws-a', 'ws-b'],
      ['ws-b', 'ws-a'],
    ] as const) {
      t.db.exec('DELETE FROM hub_records; DELETE FROM hub_record_versions;');
      send('ws-a', change('r1', 1, draft, null, 'report', 'create'));
      const answers = order.map((origin) =>
        origin === 'ws-a'
          ? send('ws-a', change('r1', 2, editedA, draft))[0]
          : send('ws-b', change('r1', 5, signedB, draft))[0],
      );
      // The first of the two applies (it changed what the hub had); the second conflicts.
      expect(answers).toEqual(['applied', 'conflict']);
      const [view] = hub.records({ conflictsOnly: true, limit: 10 });
      expect(view?.conflict).toBe(true);
      // The signed report wins although the draft edit is later, and nothing is dropped.
      expect(view?.current).toMatchObject({ origin: 'ws-b', version: 5 });
      expect(view?.versions.map((v) => v.origin).sort()).toEqual(['ws-a', 'ws-a', 'ws-b']);
    }
  });

  it('two drafts changed concurrently: the later change is shown; a deletion never beats a live record', () => {
    send('ws-a', change('p1', 1, { id: 'p1', name: 'X' }, null, 'patient', 'create'));
    send(
      'ws-a',
      change(
        'p1',
        2,
        { id: 'p1', name: 'X A', updatedAt: '2026-12-02T10:00:00Z' },
        { id: 'p1', name: 'X' },
        'patient',
      ),
    );
    expect(
      send(
        'ws-b',
        change(
          'p1',
          3,
          { id: 'p1', name: 'X B', updatedAt: '2026-12-02T11:00:00Z' },
          { id: 'p1', name: 'X' },
          'patient',
        ),
      ),
    ).toEqual(['conflict']);
    expect(hub.records({ conflictsOnly: true, limit: 5 })[0]?.current.origin).toBe('ws-b');
    expect(
      send('ws-c', change('p1', 1, { id: 'p1' }, { id: 'p1', name: 'X' }, 'patient', 'delete')),
    ).toEqual(['conflict']);
    expect(hub.records({ conflictsOnly: true, limit: 5 })[0]?.current).toMatchObject({
      origin: 'ws-b',
      op: 'update',
    });
  });

  it('audit rows are append-only: stored once per (workstation, seq), never a conflict', () => {
    const row = {
      seq: 1,
      at: NOW,
      actor: 'admin',
      action: 'reports.sign',
      target: 'r1',
      details: '{}',
      hash: 'h',
    };
    expect(hub.receive({ origin: 'ws-a', records: [], audit: [row] }, NOW, null).audit).toEqual({
      stored: 1,
      duplicate: 0,
    });
    expect(hub.receive({ origin: 'ws-a', records: [], audit: [row] }, NOW, null).audit).toEqual({
      stored: 0,
      duplicate: 1,
    });
    expect(hub.receive({ origin: 'ws-b', records: [], audit: [row] }, NOW, null).audit).toEqual({
      stored: 1,
      duplicate: 0,
    });
    expect(() => t.db.exec('DELETE FROM hub_audit')).toThrow(/append-only/);
  });
});
