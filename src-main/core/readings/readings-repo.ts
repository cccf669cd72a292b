import type { JobPriority, ReadingKind } from '../../../src-shared/contract/entities.js';
import type { Db } from '../db/connection.js';
import { priorityOfRank, priorityRank } from '../jobs/jobs-repo.js';

interface ReadingRow {
  id: string;
  scan_id: string;
  kind: ReadingKind;
  priority: number;
  notes: string;
  include_suggestions: number;
  analysis_id: string | null;
  requested_by: string | null;
  created_at: string;
}

/** A reading request as stored: its text is rendered from the analysis when read. */
export interface ReadingRecord {
  id: string;
  scanId: string;
  kind: ReadingKind;
  priority: JobPriority;
  notes: string;
  includeSuggestions: boolean;
  analysisId: string | null;
  requestedBy: string | null;
  createdAt: string;
}

function toRecord(r: ReadingRow): ReadingRecord {
  return {
    id: r.id,
    scanId: r.scan_id,
    kind: r.kind,
    priority: priorityOfRank(r.priority),
    notes: r.notes,
    includeSuggestions: r.include_suggestions === 1,
    analysisId: r.analysis_id,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
  };
}

export function createReadingsRepo(db: Db) {
  return {
    insert(r: Omit<ReadingRecord, 'analysisId'>): void {
      db.prepare(
        `INSERT INTO readings (id, scan_id, kind, priority, notes, include_suggestions, requested_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        r.id,
        r.scanId,
        r.kind,
        priorityRank(r.priority),
        r.notes,
        r.includeSuggestions ? 1 : 0,
        r.requestedBy,
        r.createdAt,
      );
    },
    get(id: string): ReadingRecord | undefined {
      const row = db.prepare<[string], ReadingRow>('SELECT * FROM readings WHERE id = ?').get(id);
      return row === undefined ? undefined : toRecord(row);
    },
    listOfScan(scanId: string): ReadingRecord[] {
      return db
        .prepare<[string], ReadingRow>(
          'SELECT * FROM readings WHERE scan_id = ? ORDER BY created_at DESC, rowid DESC',
        )
        .all(scanId)
        .map(toRecord);
    },
    setAnalysis(id: string, analysisId: string): void {
      db.prepare('UPDATE readings SET analysis_id = ? WHERE id = ?').run(analysisId, id);
    },
  };
}
export type ReadingsRepo = ReturnType<typeof createReadingsRepo>;
