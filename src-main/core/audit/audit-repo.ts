import { createHash } from 'node:crypto';
import type { Db } from '../db/connection.js';

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const GENESIS = '0'.repeat(64);

function entryHash(
  prevHash: string,
  at: string,
  actor: string | null,
  action: string,
  target: string | null,
  details: string,
): string {
  return createHash('sha256')
    .update(JSON.stringify([prevHash, at, actor, action, target, details]))
    .digest('hex');
}

/** Append-only, hash-chained log of every read of patient data and every change. */
export function createAuditRepo(db: Db) {
  const last = db.prepare<[], { hash: string }>(
    'SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1',
  );
  const insert = db.prepare(
    'INSERT INTO audit_log (at, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  // Read the last hash and insert under one write lock: another process (the CLI next to the app)
  // appending in between would otherwise fork the chain.
  const appendLinked = db.transaction(
    (at: string, actor: string | null, action: string, target: string | null, details: string) => {
      const prev = last.get()?.hash ?? GENESIS;
      insert.run(
        at,
        actor,
        action,
        target,
        details,
        prev,
        entryHash(prev, at, actor, action, target, details),
      );
    },
  );
  return {
    append(e: {
      at: string;
      actor: string | null;
      action: string;
      target: string | null;
      details?: Record<string, unknown>;
    }): void {
      appendLinked.immediate(e.at, e.actor, e.action, e.target, JSON.stringify(e.details ?? {}));
    },
    list(limit = 100): AuditEntry[] {
      return db
        .prepare<[number], AuditRow>('SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?')
        .all(limit)
        .map((r) => ({
          seq: r.seq,
          at: r.at,
          actor: r.actor,
          action: r.action,
          target: r.target,
          details: JSON.parse(r.details) as Record<string, unknown>,
          prevHash: r.prev_hash,
          hash: r.hash,
        }));
    },
    /** Recomputes the chain; returns the first broken sequence number, or null if intact. */
    verify(): number | null {
      let prev = GENESIS;
      for (const r of db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').iterate()) {
        if (
          r.prev_hash !== prev ||
          r.hash !== entryHash(r.prev_hash, r.at, r.actor, r.action, r.target, r.details)
        ) {
          return r.seq;
        }
        prev = r.hash;
      }
      return null;
    },
  };
}
export type AuditRepo = ReturnType<typeof createAuditRepo>;
