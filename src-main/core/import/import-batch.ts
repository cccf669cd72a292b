import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { AppError, isAppError } from '../../../src-shared/errors.js';
import type { ClinicalChange, ClinicalWriter } from '../clinical-write/clinical-writer.js';
import type { Db } from '../db/connection.js';
import type { FilesRepo } from '../scans/files-repo.js';
import type { StudiesRepo } from '../scans/studies-repo.js';
import { SYNC_IO_SLICE_BYTES } from '../store/blob-batch.js';
import type { BlobStore } from '../store/blob-store.js';
import { findDuplicate } from './find-duplicate.js';
import type { FileImportResult, ImportOptions } from './import-file-types.js';

export interface StoredFile {
  readonly sha256: string;
  readonly size: number;
}

/** A file after its checks: either settled (rejected, skipped) or ready to store and record. */
export type PreparedFile =
  | { kind: 'settled'; result: FileImportResult }
  | {
      kind: 'inspected';
      path: string;
      /** As found when inspected. */
      size: number;
      sopInstanceUid: string | null;
      /** Inserts the file's rows; runs inside the batch's write transaction. */
      record: (blob: StoredFile) => FileImportResult;
    };

/**
 * Files stored and recorded together: each added file is checked for duplicates and written to
 * a temp file at once; `commit` makes all their blobs durable (few disk flushes for the batch),
 * then records them in one transaction. A crash before the commit leaves no row and no blob
 * under its hash; one between the blobs and the rows leaves only unreferenced blobs.
 */
export interface ImportBatch {
  /** Files added, rejected and duplicate ones included. */
  readonly fileCount: number;
  /** Enough staged to commit: more would delay progress, cancel and memory for little gain. */
  readonly isFull: boolean;
  add(prepared: PreparedFile): Promise<void>;
  /** The results of the files added, in order. */
  commit(): Promise<FileImportResult[]>;
  /** Drops what was staged (temp files removed, nothing recorded). */
  abort(): Promise<void>;
}

export interface BatchLimits {
  maxFiles: number;
  maxBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxFiles: 64, maxBytes: 64 * 1024 * 1024 };

interface BatchDeps {
  db: Db;
  writer: ClinicalWriter;
  blobs: BlobStore;
  files: FilesRepo;
  studies: StudiesRepo;
}

type Entry =
  | { kind: 'settled'; result: FileImportResult }
  | {
      kind: 'staged';
      path: string;
      blob: StoredFile;
      sopInstanceUid: string | null;
      record: (blob: StoredFile) => FileImportResult;
    };

/** What the user is told for a file the operating system would not read, by its error code. */
const UNREADABLE: Readonly<Record<string, string>> = {
  ENOENT:
    'The file is not there (ENOENT): it was moved or deleted, or the disc or stick was removed. Check the source and import again.',
  EACCES:
    'This account may not read the file (EACCES): check its permissions, or copy it somewhere readable.',
  EISDIR: 'This is a folder, not a file (EISDIR).',
};

/** Why a file a DICOMDIR lists is absent: the copy of the CD is incomplete. */
export const MISSING_FROM_DICOMDIR =
  'The DICOMDIR lists this file, but it is not on the disc or in the copied folder: copy the whole CD again (including this file) and import again.';

/** A file that cannot be imported, with its reason; throws for failures that are not the file's. */
export function rejection(path: string, error: unknown): FileImportResult {
  if (isAppError(error)) {
    // A reader failing in an unforeseen way is still a file that cannot be read: set it aside.
    const reason = error.code === 'INTERNAL' ? new AppError('CORRUPT_FILE', error.message) : error;
    return { item: { path, status: 'rejected', code: reason.code, reason: reason.message } };
  }
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === undefined ? undefined : UNREADABLE[code];
  if (reason !== undefined)
    return { item: { path, status: 'rejected', code: 'NOT_FOUND', reason } };
  throw error;
}

/** The records an imported file created: its file row, its new scan, and what it reports. */
function changesOf(result: FileImportResult): ClinicalChange[] {
  const changes: ClinicalChange[] = [...(result.created ?? [])];
  if (result.newScanId !== undefined)
    changes.push({ entity: 'scan', id: result.newScanId, op: 'create' });
  if (result.item.fileId !== undefined)
    changes.push({ entity: 'file', id: result.item.fileId, op: 'create' });
  return changes;
}

export function createImportBatch(
  deps: BatchDeps,
  options: ImportOptions,
  limits: BatchLimits = DEFAULT_BATCH_LIMITS,
): ImportBatch {
  const { db, files } = deps;
  const blobs = deps.blobs.batch();
  const entries: Entry[] = [];

  /** Reads and hashes the file; a copy of a stored file or instance is settled as a duplicate. */
  async function stage(prepared: Extract<PreparedFile, { kind: 'inspected' }>): Promise<Entry> {
    const { path, size, sopInstanceUid, record } = prepared;
    try {
      // Synchronous for a small file, like the blob batch's writes (see SYNC_IO_SLICE_BYTES).
      const data = size <= SYNC_IO_SLICE_BYTES ? readFileSync(path) : await readFile(path);
      const sha256 = createHash('sha256').update(data).digest('hex');
      const known = findDuplicate(deps, path, sha256, null, options);
      if (known !== undefined) return { kind: 'settled', result: known };
      options.storedThisRun?.add(sha256);
      if (sopInstanceUid !== null) {
        const sameInstance = findDuplicate(deps, path, sha256, sopInstanceUid, options);
        if (sameInstance !== undefined) return { kind: 'settled', result: sameInstance };
      }
      const blob = await blobs.addBuffer(data, sha256);
      return { kind: 'staged', path, blob, sopInstanceUid, record };
    } catch (error) {
      return { kind: 'settled', result: rejection(path, error) };
    }
  }

  // Savepoint per file (a clinical write): a file whose rows cannot be recorded is rejected, the
  // rest is kept; each recorded file has its audit and outbox entries in the same savepoint.
  const recordOne = (entry: Extract<Entry, { kind: 'staged' }>): FileImportResult =>
    deps.writer.write(options.actor ?? null, 'import.file', () => {
      // Checked again in the write transaction: a concurrent import (another job or process)
      // may have recorded the same file while this one was writing the blob.
      const duplicate = findDuplicate(
        deps,
        entry.path,
        entry.blob.sha256,
        entry.sopInstanceUid,
        options,
      );
      const result = duplicate ?? entry.record(entry.blob);
      return {
        result,
        target: result.item.scanId ?? null,
        details: {
          path: entry.path,
          fileId: result.item.fileId ?? null,
          jobId: options.jobId ?? null,
        },
        changes: duplicate === undefined ? changesOf(result) : [],
      };
    });
  const recordAll = db.transaction(() =>
    entries.map((entry) => {
      if (entry.kind === 'settled') return entry.result;
      try {
        return recordOne(entry);
      } catch (error) {
        return rejection(entry.path, error);
      }
    }),
  );

  /** Blobs no row refers to (duplicates found at the last moment, rejected files, a failure). */
  async function removeUnreferenced(): Promise<void> {
    const hashes = new Set(entries.flatMap((e) => (e.kind === 'staged' ? [e.blob.sha256] : [])));
    for (const sha256 of hashes) {
      if (files.findBySha256(sha256) === undefined) await deps.blobs.remove(sha256);
    }
  }

  return {
    get fileCount() {
      return entries.length;
    },
    get isFull() {
      return entries.length >= limits.maxFiles || blobs.bytes >= limits.maxBytes;
    },
    async add(prepared) {
      entries.push(prepared.kind === 'settled' ? prepared : await stage(prepared));
    },
    async commit() {
      if (entries.length === 0) return [];
      try {
        // The blobs are durable before any row refers to them.
        await blobs.commit();
        return recordAll.immediate();
      } finally {
        await removeUnreferenced();
      }
    },
    async abort() {
      await blobs.abort();
    },
  };
}
