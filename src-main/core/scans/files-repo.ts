import type { FileRecord } from '../../../src-shared/contract/entities.js';
import type { Db } from '../db/connection.js';

interface FileRow {
  id: string;
  sha256: string;
  size: number;
  mime_type: string;
  original_path: string | null;
  scan_id: string | null;
  import_job_id: string | null;
  created_at: string;
  instance_id: string | null;
}

const toFile = (r: FileRow): FileRecord => ({
  id: r.id,
  sha256: r.sha256,
  size: r.size,
  mimeType: r.mime_type,
  originalPath: r.original_path,
  scanId: r.scan_id,
  instanceId: r.instance_id,
  createdAt: r.created_at,
});

const SELECT = `SELECT f.*, (SELECT i.id FROM instances i WHERE i.file_id = f.id) AS instance_id FROM files f`;

export interface NewFile {
  id: string;
  sha256: string;
  size: number;
  mimeType: string;
  originalPath: string | null;
  scanId: string | null;
  importJobId: string | null;
}

export function createFilesRepo(db: Db) {
  return {
    insert(f: NewFile, now: string): void {
      db.prepare(
        `INSERT INTO files (id, sha256, size, mime_type, original_path, scan_id, import_job_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(f.id, f.sha256, f.size, f.mimeType, f.originalPath, f.scanId, f.importJobId, now);
    },
    findBySha256(sha256: string): (FileRecord & { importJobId: string | null }) | undefined {
      const row = db.prepare<[string], FileRow>(`${SELECT} WHERE f.sha256 = ?`).get(sha256);
      return row === undefined ? undefined : { ...toFile(row), importJobId: row.import_job_id };
    },
    get(id: string): FileRecord | undefined {
      const row = db.prepare<[string], FileRow>(`${SELECT} WHERE f.id = ?`).get(id);
      return row === undefined ? undefined : toFile(row);
    },
    listOfScan(scanId: string): FileRecord[] {
      return db
        .prepare<[string], FileRow>(`${SELECT} WHERE f.scan_id = ? ORDER BY f.created_at, f.id`)
        .all(scanId)
        .map(toFile);
    },
    allHashes(): Set<string> {
      return new Set(
        db
          .prepare<[], { sha256: string }>('SELECT sha256 FROM files')
          .all()
          .map((r) => r.sha256),
      );
    },
  };
}
export type FilesRepo = ReturnType<typeof createFilesRepo>;
