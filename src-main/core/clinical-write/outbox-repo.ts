import type { Db } from '../db/connection.js';

/** The kinds of clinical record a change can touch (the outbox table's CHECK lists the same). */
export const CLINICAL_ENTITIES = [
  'patient',
  'study',
  'series',
  'scan',
  'file',
  'segmentation',
  'attachment',
  'analysis',
  'measurement',
  'report',
  'dental_folder',
  'dental_case',
  'dental_file',
  'dental_caption',
] as const;
export type ClinicalEntity = (typeof CLINICAL_ENTITIES)[number];
export type ClinicalOp = 'create' | 'update' | 'delete';

export interface OutboxEntry {
  id: number;
  entity: ClinicalEntity;
  entityId: string;
  op: ClinicalOp;
  payload: unknown;
  createdAt: string;
  status: 'pending' | 'sent';
}

interface OutboxRow {
  id: number;
  entity: ClinicalEntity;
  entity_id: string;
  op: ClinicalOp;
  payload: string;
  created_at: string;
  status: 'pending' | 'sent';
}

/** Changes to clinical data waiting to be synced, oldest first. */
export function createOutboxRepo(db: Db) {
  const insert = db.prepare(
    'INSERT INTO outbox (entity, entity_id, op, payload, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  return {
    add(e: {
      entity: ClinicalEntity;
      entityId: string;
      op: ClinicalOp;
      payload: unknown;
      at: string;
    }): void {
      insert.run(e.entity, e.entityId, e.op, JSON.stringify(e.payload ?? null), e.at);
    },
    list(limit = 100): OutboxEntry[] {
      return db
        .prepare<[number], OutboxRow>('SELECT * FROM outbox ORDER BY id LIMIT ?')
        .all(limit)
        .map((r) => ({
          id: r.id,
          entity: r.entity,
          entityId: r.entity_id,
          op: r.op,
          payload: JSON.parse(r.payload) as unknown,
          createdAt: r.created_at,
          status: r.status,
        }));
    },
  };
}
export type OutboxRepo = ReturnType<typeof createOutboxRepo>;
