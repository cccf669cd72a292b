import type {
  DentalCaption,
  DentalFileType,
  DentalFolder,
  DentalRegistryFile,
  DentalStl,
  DentalStlRole,
} from '../../../src-shared/contract/dental.js';
import { DENTAL_MIME_TYPES } from '../../../src-shared/contract/dental.js';
import type { JobStatus, Page } from '../../../src-shared/contract/entities.js';
import type { Db } from '../db/connection.js';
import { likePattern, toPage } from '../db/paging.js';

export interface DentalCaseRow {
  id: string;
  name: string;
  patient_id: string | null;
  patient_name: string | null;
  folder_id: string | null;
  folder_name: string | null;
  cbct_job_id: string | null;
  cbct_job_status: JobStatus | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

interface StlRow {
  id: string;
  case_id: string;
  role: DentalStlRole;
  file_name: string;
  sha256: string;
  size: number;
  triangle_count: number;
  stl_format: 'ascii' | 'binary';
}

interface CaptionRow {
  id: string;
  case_id: string;
  modality: DentalCaption['modality'];
  text: string;
  author: string;
  created_at: string;
  updated_at: string;
}

interface RegistryRow {
  id: string;
  type: DentalFileType;
  role: 'upper' | 'lower' | 'cbct';
  file_name: string;
  size: number;
  sha256: string;
  case_id: string;
  case_name: string;
  patient_id: string | null;
  created_at: string;
}

const CASE_SELECT = `
SELECT c.id, c.name, c.patient_id, p.name AS patient_name, c.folder_id, f.name AS folder_name,
       c.cbct_job_id, j.status AS cbct_job_status, c.created_by, c.created_at, c.updated_at
FROM dental_cases c
LEFT JOIN patients p ON p.id = c.patient_id
LEFT JOIN dental_folders f ON f.id = c.folder_id
LEFT JOIN jobs j ON j.id = c.cbct_job_id`;

/**
 * The registry: the STLs a case stored itself, and the CBCT's files, which the import job
 * stored (linked by `files.import_job_id`). The original file name is the last part of its path.
 */
const REGISTRY = `(
  SELECT d.id, 'stl' AS type, d.role, d.file_name, d.size, d.sha256, c.id AS case_id,
         c.name AS case_name, c.patient_id, d.created_at
  FROM dental_files d JOIN dental_cases c ON c.id = d.case_id
  UNION ALL
  SELECT fl.id, 'cbct' AS type, 'cbct' AS role,
         COALESCE(replace(fl.original_path, rtrim(fl.original_path, replace(fl.original_path, '/', '')), ''), fl.sha256) AS file_name,
         fl.size, fl.sha256, c.id AS case_id, c.name AS case_name, c.patient_id, fl.created_at
  FROM files fl JOIN dental_cases c ON c.cbct_job_id = fl.import_job_id
  UNION ALL
  SELECT v.id, 'audio' AS type, 'caption' AS role, v.file_name, v.size, v.sha256, c.id AS case_id,
         c.name AS case_name, c.patient_id, v.created_at
  FROM dental_voice_captions v JOIN dental_cases c ON c.id = v.case_id
) AS registry`;

export function createDentalRepo(db: Db) {
  const stlOf = (r: StlRow): DentalStl => ({
    fileId: r.id,
    role: r.role,
    fileName: r.file_name,
    size: r.size,
    sha256: r.sha256,
    triangleCount: r.triangle_count,
    format: r.stl_format,
  });
  const registryOf = (r: RegistryRow): DentalRegistryFile => ({
    id: r.id,
    type: r.type,
    role: r.role,
    fileName: r.file_name,
    size: r.size,
    sha256: r.sha256,
    mimeType: DENTAL_MIME_TYPES[r.type],
    caseId: r.case_id,
    caseName: r.case_name,
    patientId: r.patient_id,
    createdAt: r.created_at,
  });

  return {
    insertFolder(f: { id: string; name: string; at: string }): void {
      db.prepare(
        'INSERT INTO dental_folders (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)',
      ).run(f.id, f.name, f.at, f.at);
    },
    renameFolder(id: string, name: string, at: string): boolean {
      return (
        db
          .prepare('UPDATE dental_folders SET name = ?, updated_at = ? WHERE id = ?')
          .run(name, at, id).changes === 1
      );
    },
    folderByName(name: string): { id: string } | undefined {
      return db
        .prepare<[string], { id: string }>('SELECT id FROM dental_folders WHERE name = ?')
        .get(name);
    },
    folders(): DentalFolder[] {
      return db
        .prepare<[], { id: string; name: string; created_at: string; n: number }>(
          `SELECT f.id, f.name, f.created_at, COUNT(c.id) AS n FROM dental_folders f
           LEFT JOIN dental_cases c ON c.folder_id = f.id GROUP BY f.id ORDER BY f.name`,
        )
        .all()
        .map((r) => ({ id: r.id, name: r.name, caseCount: r.n, createdAt: r.created_at }));
    },
    insertCase(c: {
      id: string;
      name: string;
      patientId: string | null;
      folderId: string | null;
      cbctJobId: string | null;
      createdBy: string | null;
      at: string;
    }): void {
      db.prepare(
        `INSERT INTO dental_cases (id, name, patient_id, folder_id, cbct_job_id, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(c.id, c.name, c.patientId, c.folderId, c.cbctJobId, c.createdBy, c.at, c.at);
    },
    insertStl(s: {
      id: string;
      caseId: string;
      role: DentalStlRole;
      fileName: string;
      sha256: string;
      size: number;
      triangleCount: number;
      format: 'ascii' | 'binary';
      at: string;
    }): void {
      db.prepare(
        `INSERT INTO dental_files (id, case_id, role, file_name, sha256, size, triangle_count, stl_format, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(s.id, s.caseId, s.role, s.fileName, s.sha256, s.size, s.triangleCount, s.format, s.at);
    },
    moveCase(caseId: string, folderId: string | null, at: string): boolean {
      return (
        db
          .prepare('UPDATE dental_cases SET folder_id = ?, updated_at = ? WHERE id = ?')
          .run(folderId, at, caseId).changes === 1
      );
    },
    caseRow(id: string): DentalCaseRow | undefined {
      return db.prepare<[string], DentalCaseRow>(`${CASE_SELECT} WHERE c.id = ?`).get(id);
    },
    stls(caseId: string): DentalStl[] {
      return db
        .prepare<[string], StlRow>('SELECT * FROM dental_files WHERE case_id = ? ORDER BY role')
        .all(caseId)
        .map(stlOf);
    },
    /** The scan the CBCT import created (the first of its files that belongs to a scan). */
    cbctScanId(jobId: string): string | null {
      return (
        db
          .prepare<[string], { scan_id: string }>(
            'SELECT scan_id FROM files WHERE import_job_id = ? AND scan_id IS NOT NULL ORDER BY created_at LIMIT 1',
          )
          .get(jobId)?.scan_id ?? null
      );
    },
    listCases(q: {
      folderId?: string | undefined;
      search?: string | undefined;
      page: number;
      limit: number;
    }): Page<DentalCaseRow> {
      const where: string[] = [];
      const params: string[] = [];
      if (q.folderId === 'none') where.push('c.folder_id IS NULL');
      else if (q.folderId !== undefined) {
        where.push('c.folder_id = ?');
        params.push(q.folderId);
      }
      if (q.search !== undefined && q.search.trim() !== '') {
        where.push("(c.name LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\')");
        const like = likePattern(q.search.trim());
        params.push(like, like);
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const total = db
        .prepare<string[], { n: number }>(
          `SELECT COUNT(*) AS n FROM dental_cases c LEFT JOIN patients p ON p.id = c.patient_id ${clause}`,
        )
        .get(...params)!.n;
      const rows = db
        .prepare<(string | number)[], DentalCaseRow>(
          `${CASE_SELECT} ${clause} ORDER BY c.created_at DESC, c.id LIMIT ? OFFSET ?`,
        )
        .all(...params, q.limit, (q.page - 1) * q.limit);
      return toPage(rows, total, q.page, q.limit);
    },
    insertCaption(c: {
      id: string;
      caseId: string;
      modality: DentalCaption['modality'];
      text: string;
      author: string;
      at: string;
    }): void {
      db.prepare(
        `INSERT INTO dental_captions (id, case_id, modality, text, author, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(c.id, c.caseId, c.modality, c.text, c.author, c.at, c.at);
      db.prepare(
        'INSERT INTO dental_caption_versions (caption_id, version, text, author, at) VALUES (?, 1, ?, ?, ?)',
      ).run(c.id, c.text, c.author, c.at);
    },
    editCaption(id: string, text: string, author: string, at: string): void {
      const next = db
        .prepare<[string], { v: number }>(
          'SELECT COALESCE(MAX(version), 0) + 1 AS v FROM dental_caption_versions WHERE caption_id = ?',
        )
        .get(id)!.v;
      db.prepare(
        'INSERT INTO dental_caption_versions (caption_id, version, text, author, at) VALUES (?, ?, ?, ?, ?)',
      ).run(id, next, text, author, at);
      db.prepare('UPDATE dental_captions SET text = ?, updated_at = ? WHERE id = ?').run(
        text,
        at,
        id,
      );
    },
    captions(caseId: string): DentalCaption[] {
      const rows = db
        .prepare<[string], CaptionRow>(
          'SELECT * FROM dental_captions WHERE case_id = ? ORDER BY created_at, id',
        )
        .all(caseId);
      return rows.map((r) => this.captionOf(r));
    },
    caption(id: string): DentalCaption | undefined {
      const row = db
        .prepare<[string], CaptionRow>('SELECT * FROM dental_captions WHERE id = ?')
        .get(id);
      return row === undefined ? undefined : this.captionOf(row);
    },
    captionOf(r: CaptionRow): DentalCaption {
      const history = db
        .prepare<[string], { version: number; text: string; author: string; at: string }>(
          'SELECT version, text, author, at FROM dental_caption_versions WHERE caption_id = ? ORDER BY version',
        )
        .all(r.id);
      return {
        id: r.id,
        caseId: r.case_id,
        modality: r.modality,
        text: r.text,
        author: r.author,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        history,
      };
    },
    registry(q: {
      type?: DentalFileType | undefined;
      caseId?: string | undefined;
      patientId?: string | undefined;
      page: number;
      limit: number;
    }): Page<DentalRegistryFile> {
      const where: string[] = [];
      const params: string[] = [];
      if (q.type !== undefined) {
        where.push('type = ?');
        params.push(q.type);
      }
      if (q.caseId !== undefined) {
        where.push('case_id = ?');
        params.push(q.caseId);
      }
      if (q.patientId !== undefined) {
        where.push('patient_id = ?');
        params.push(q.patientId);
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const total = db
        .prepare<string[], { n: number }>(`SELECT COUNT(*) AS n FROM ${REGISTRY} ${clause}`)
        .get(...params)!.n;
      const rows = db
        .prepare<(string | number)[], RegistryRow>(
          `SELECT * FROM ${REGISTRY} ${clause} ORDER BY created_at, case_id, role, id LIMIT ? OFFSET ?`,
        )
        .all(...params, q.limit, (q.page - 1) * q.limit);
      return toPage(rows.map(registryOf), total, q.page, q.limit);
    },
    registryFile(id: string): DentalRegistryFile | undefined {
      const row = db
        .prepare<[string], RegistryRow>(`SELECT * FROM ${REGISTRY} WHERE id = ?`)
        .get(id);
      return row === undefined ? undefined : registryOf(row);
    },
    queueCounts(): { pending: number; processing: number } {
      const rows = db
        .prepare<[], { status: string; n: number }>(
          "SELECT status, COUNT(*) AS n FROM jobs WHERE status IN ('pending','processing') GROUP BY status",
        )
        .all();
      const of = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
      return { pending: of('pending'), processing: of('processing') };
    },
  };
}
export type DentalRepo = ReturnType<typeof createDentalRepo>;
