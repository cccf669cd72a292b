import { createHash, createHmac } from 'node:crypto';
import type { Db } from '../db/connection.js';
import type { AuditKey } from './audit-key.js';
import { createReadAuditBatch, type ReadAuditBatchOptions } from './read-audit-batch.js';

// Another process's test runs this file as TypeScript as it is: value imports only of modules
// that need no compiling beyond stripping types (no enums, no parameter properties).

/**
 * Text as the chain hashes and stores it. SQLite keeps text as UTF-8, which cannot hold a lone
 * UTF-16 surrogate (better-sqlite3 writes U+FFFD instead), so a row hashed over the raw string
 * would never verify once read back. Lone surrogates are replaced before hashing and exactly
 * what was hashed is stored; NFC makes the same visible name hash the same however typed.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function normaliseAuditText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').normalize('NFC');
}

function normaliseOptional(text: string | null): string | null {
  return text === null ? null : normaliseAuditText(text);
}

function hmacHex(key: AuditKey, parts: readonly unknown[]): string {
  return createHmac('sha256', key.bytes).update(JSON.stringify(parts)).digest('hex');
}

/** A short public fingerprint of the key, kept in the head record to tell "wrong key" from tampering. */
export function auditKeyId(key: AuditKey): string {
  return createHmac('sha256', key.bytes)
    .update('neurosphere audit key id')
    .digest('hex')
    .slice(0, 16);
}

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

interface HeadRow {
  key_id: string;
  row_count: number;
  last_seq: number;
  last_hash: string;
  mac: string;
}

/** One broken link the verifier found. `seq` is the row it concerns (null: the log as a whole). */
export interface AuditIssue {
  seq: number | null;
  kind:
    | 'altered'
    | 'broken-link'
    | 'missing-rows'
    | 'truncated'
    | 'head-missing'
    | 'head-altered'
    | 'wrong-key';
  message: string;
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  /** Rows written before the chain was keyed, checked by their unkeyed SHA-256 chain. */
  legacyRows: number;
  issues: AuditIssue[];
}

export const GENESIS = '0'.repeat(64);
/** Marks where rows of the unkeyed chain (before migration 014) end and the keyed chain begins. */
export const SEAL_ACTION = 'audit.sealed';
/** Written when the head record had vanished while a keyed chain existed: a permanent trace. */
export const HEAD_MISSING_ACTION = 'audit.head-missing';

/** The hash of a row before migration 014: SHA-256 without a key, without the sequence number. */
function legacyHash(r: AuditRow): string {
  return createHash('sha256')
    .update(JSON.stringify([r.prev_hash, r.at, r.actor, r.action, r.target, r.details]))
    .digest('hex');
}

function keyedHash(key: AuditKey, r: Omit<AuditRow, 'hash'>): string {
  return hmacHex(key, ['row', r.seq, r.prev_hash, r.at, r.actor, r.action, r.target, r.details]);
}

function headMac(key: AuditKey, h: Omit<HeadRow, 'mac'>): string {
  return hmacHex(key, ['head', h.key_id, h.row_count, h.last_seq, h.last_hash]);
}

/**
 * Append-only log of every read of patient data, every change and every refused attempt.
 * Each row carries an HMAC-SHA256 (key outside the database) over its sequence number, the
 * previous row's hash and its own columns; a head record, HMAC'd too, holds the row count and
 * the last hash so rows removed from the end are detected. See docs/audit.md.
 */
/** A row to append, before it is numbered and linked. */
export interface AuditAppend {
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  details?: Record<string, unknown>;
}

export interface AuditRepoOptions {
  /** Timing of the batched read rows (`appendRead`); the defaults suit serve. */
  readBatch?: Pick<ReadAuditBatchOptions<AuditAppend>, 'maxDelayMs' | 'maxRows'>;
  /** A batch of read rows that could not be committed (it is retried). */
  onReadBatchError?: (error: unknown) => void;
}

export function createAuditRepo(db: Db, key: AuditKey, options: AuditRepoOptions = {}) {
  const keyId = auditKeyId(key);
  const lastRow = db.prepare<[], { seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
  );
  const countRows = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_log');
  const readHead = db.prepare<[], HeadRow>(
    'SELECT key_id, row_count, last_seq, last_hash, mac FROM audit_head WHERE id = 1',
  );
  const writeHead = db.prepare(
    `INSERT INTO audit_head (id, key_id, row_count, last_seq, last_hash, mac) VALUES (1, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET key_id = excluded.key_id, row_count = excluded.row_count,
       last_seq = excluded.last_seq, last_hash = excluded.last_hash, mac = excluded.mac`,
  );
  const insert = db.prepare(
    'INSERT INTO audit_log (seq, at, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );

  function storeHead(rowCount: number, lastSeq: number, lastHash: string): void {
    const head = { key_id: keyId, row_count: rowCount, last_seq: lastSeq, last_hash: lastHash };
    writeHead.run(keyId, rowCount, lastSeq, lastHash, headMac(key, head));
  }

  function appendRow(e: {
    at: string;
    actor: string | null;
    action: string;
    target: string | null;
    details: string;
  }): void {
    const last = lastRow.get();
    const head = readHead.get();
    const row = {
      // Never reuse a number the head has seen: after rows were deleted from the end, the log
      // goes on (the gap stays visible to verify) instead of failing every audited action.
      seq: Math.max(last?.seq ?? 0, head?.last_seq ?? 0) + 1,
      prev_hash: last?.hash ?? GENESIS,
      at: normaliseAuditText(e.at),
      actor: normaliseOptional(e.actor),
      action: normaliseAuditText(e.action),
      target: normaliseOptional(e.target),
      details: normaliseAuditText(e.details),
    };
    const hash = keyedHash(key, row);
    insert.run(
      row.seq,
      row.at,
      row.actor,
      row.action,
      row.target,
      row.details,
      row.prev_hash,
      hash,
    );
    const count = head !== undefined ? head.row_count + 1 : (countRows.get()?.n ?? 1);
    storeHead(count, row.seq, hash);
  }

  // Read the last row and insert under one write lock: another process (the CLI next to the app)
  // appending in between would otherwise fork the chain.
  const appendLinked = db.transaction(appendRow);
  const appendAllLinked = db.transaction((rows: readonly AuditAppend[]) => {
    for (const e of rows) appendRow({ ...e, details: JSON.stringify(e.details ?? {}) });
  });

  const reads = createReadAuditBatch<AuditAppend>({
    ...options.readBatch,
    write(rows) {
      // Closed under a pending batch (a core closed without close()): nothing can be written.
      if (!db.open) throw new Error(`The audit log is closed; ${rows.length} read row(s) lost.`);
      appendAllLinked.immediate(rows);
    },
    onError: options.onReadBatchError ?? (() => undefined),
  });

  const openChain = db.transaction((at: string) => {
    if (readHead.get() !== undefined) return;
    const rows = countRows.get()?.n ?? 0;
    const last = lastRow.get();
    if (rows === 0 || last === undefined) {
      storeHead(0, 0, GENESIS);
      return;
    }
    const sealed = db
      .prepare<[string], { n: number }>('SELECT count(*) AS n FROM audit_log WHERE action = ?')
      .get(SEAL_ACTION);
    if (key.isNew && (sealed?.n ?? 0) === 0) {
      appendRow({
        at,
        actor: null,
        action: SEAL_ACTION,
        target: null,
        details: JSON.stringify({
          legacyRows: rows,
          legacyLastSeq: last.seq,
          legacyLastHash: last.hash,
        }),
      });
    } else {
      appendRow({
        at,
        actor: null,
        action: HEAD_MISSING_ACTION,
        target: null,
        details: JSON.stringify({ rowsFound: rows, lastSeqFound: last.seq }),
      });
    }
  });

  return {
    /** The key's public fingerprint (docs, CLI output). */
    keyId,
    /**
     * Makes sure the head record exists: a fresh log gets an empty head; rows written before
     * the chain was keyed are sealed (with a new key only); a head removed from a keyed chain
     * is written down as such. Called once when the core starts.
     */
    open(at: string): void {
      openChain.immediate(at);
    },
    /** Appends a row now, in its own transaction (changes, refusals, logins). */
    append(e: AuditAppend): void {
      appendLinked.immediate({ ...e, details: JSON.stringify(e.details ?? {}) });
    },
    /**
     * Queues the row of a read-only request: it is committed with the other reads of the next
     * few milliseconds in one transaction, and takes its place in the chain then (its `at` is
     * the time of the read). See read-audit-batch.ts for what a crash may lose.
     */
    appendRead(e: AuditAppend): void {
      reads.add(e);
    },
    /** Commits the queued read rows now (before the log is read, verified or closed). */
    flushReads(): void {
      reads.flush();
    },
    /** Read rows queued and not yet committed. */
    pendingReads(): number {
      return reads.pending();
    },
    /** Commits the queued read rows and stops the batch timer; call before closing the database. */
    close(): void {
      reads.close();
    },
    list(limit = 100): AuditEntry[] {
      reads.flush();
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
    /** Recomputes the whole chain and the head; lists every break, not just the first. */
    verify(): AuditVerification {
      reads.flush();
      return verifyChain(db, key, keyId, readHead.get());
    },
  };
}
export type AuditRepo = ReturnType<typeof createAuditRepo>;

function verifyChain(
  db: Db,
  key: AuditKey,
  keyId: string,
  head: HeadRow | undefined,
): AuditVerification {
  const issues: AuditIssue[] = [];
  if (head !== undefined && head.key_id !== keyId) {
    issues.push({
      seq: null,
      kind: 'wrong-key',
      message: `The log was keyed with key ${head.key_id}, but the key at hand (${key.source}) is ${keyId}: restore the original key to verify it.`,
    });
  }
  // A seal is only trusted if its own keyed hash verifies: rows before the first such seal were
  // written by the unkeyed chain of earlier versions.
  const sealSeq = db
    .prepare<[string], AuditRow>('SELECT * FROM audit_log WHERE action = ? ORDER BY seq LIMIT 1')
    .all(SEAL_ACTION)
    .find((r) => r.hash === keyedHash(key, r))?.seq;
  let prevHash = GENESIS;
  let prevSeq = 0;
  let rows = 0;
  let legacyRows = 0;
  for (const r of db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').iterate()) {
    rows += 1;
    const isLegacy = sealSeq !== undefined && r.seq < sealSeq;
    if (isLegacy) legacyRows += 1;
    if (r.seq !== prevSeq + 1) {
      issues.push({
        seq: r.seq,
        kind: 'missing-rows',
        message: `Rows ${prevSeq + 1}–${r.seq - 1} are missing (deleted) before row ${r.seq}.`,
      });
    }
    if (r.prev_hash !== prevHash) {
      issues.push({
        seq: r.seq,
        kind: 'broken-link',
        message: `Row ${r.seq} does not follow row ${prevSeq}: rows were deleted, inserted or reordered here.`,
      });
    }
    const expected = isLegacy ? legacyHash(r) : keyedHash(key, r);
    if (r.hash !== expected) {
      issues.push({
        seq: r.seq,
        kind: 'altered',
        message: `Row ${r.seq} (${r.action}) was changed after it was written: its ${isLegacy ? 'SHA-256' : 'HMAC'} does not match.`,
      });
    } else if (r.action === HEAD_MISSING_ACTION && !isLegacy) {
      issues.push({
        seq: r.seq,
        kind: 'head-missing',
        message: `Row ${r.seq}: the head record had been removed before this row was written; rows at the end before it may have been deleted.`,
      });
    }
    prevHash = r.hash;
    prevSeq = r.seq;
  }
  if (head === undefined) {
    if (rows > 0)
      issues.push({
        seq: null,
        kind: 'head-missing',
        message:
          'The head record (row count and last hash) is missing: rows at the end may have been deleted.',
      });
  } else if (head.key_id === keyId) {
    if (head.mac !== headMac(key, head)) {
      issues.push({
        seq: null,
        kind: 'head-altered',
        message: 'The head record (row count and last hash) was changed: its HMAC does not match.',
      });
    } else if (head.last_seq > prevSeq) {
      issues.push({
        seq: prevSeq === 0 ? null : prevSeq,
        kind: 'truncated',
        message: `The log ends at row ${prevSeq} but was written up to row ${head.last_seq}: rows ${prevSeq + 1}–${head.last_seq} were deleted from the end.`,
      });
    } else if (head.row_count > rows) {
      issues.push({
        seq: null,
        kind: 'missing-rows',
        message: `${head.row_count} rows were written but ${rows} are left: ${head.row_count - rows} were deleted.`,
      });
    } else if (
      head.last_seq !== prevSeq ||
      head.row_count !== rows ||
      head.last_hash !== prevHash
    ) {
      issues.push({
        seq: prevSeq,
        kind: 'broken-link',
        message: `The last row (${prevSeq}, ${rows} rows) is not the one the head records (${head.last_seq}, ${head.row_count} rows): rows were added or replaced at the end.`,
      });
    }
  }
  return { ok: issues.length === 0, rows, legacyRows, issues };
}
