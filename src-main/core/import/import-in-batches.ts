import type { ImportBatch } from './import-batch.js';
import type { FileImportResult, ImportOptions } from './import-file-types.js';
import type { ImportService } from './import-service.js';
import { createLookahead } from './lookahead.js';

/** Files inspected ahead of the one being staged: keeps the worker pool busy meanwhile. */
const INSPECT_AHEAD = 8;

export interface BatchRun {
  importer: Pick<ImportService, 'prepareFile' | 'openBatch'>;
  options: ImportOptions;
  /** The files, in order; `onResult` may append to it (the files a DICOMDIR lists). */
  files: readonly string[];
  /** Called before each file: throws to stop (cancel). */
  beforeFile(): void;
  /** Called after each file is staged, with how many have been. */
  afterFile(staged: number): void;
  /** Each file's result, in file order, once its batch is stored and recorded. */
  onResult(result: FileImportResult): void;
}

/**
 * Imports files in order through batches, as a pipeline: files are inspected a few ahead (in
 * the worker pool), and while one batch commits (mostly waiting for the disk) the next is read,
 * hashed and staged. One commit at a time, in order, so results come in file order and a batch
 * is recorded only after the one before it. If the run stops (cancel, failure), the files
 * already staged are still committed, so what was handled is reported.
 */
export async function importInBatches(run: BatchRun): Promise<void> {
  const { importer, options, files } = run;
  const inspected = createLookahead(files, INSPECT_AHEAD, (path) =>
    importer.prepareFile(path, options),
  );
  let batch = importer.openBatch(options);
  /** The batch committing now; resolves to its failure, boxed, so it is never unhandled. */
  let committing: Promise<{ error: unknown } | undefined> | null = null;

  async function commit(full: ImportBatch): Promise<void> {
    for (const result of await full.commit()) run.onResult(result);
  }
  async function settle(): Promise<void> {
    if (committing === null) return;
    const outcome = await committing;
    committing = null;
    if (outcome !== undefined) throw outcome.error;
  }
  async function startCommit(): Promise<void> {
    await settle();
    const full = batch;
    batch = importer.openBatch(options);
    committing = commit(full).then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
  }

  try {
    let index = 0;
    for (;;) {
      if (index < files.length && !batch.isFull) {
        run.beforeFile();
        await batch.add(await inspected.take(index));
        run.afterFile(++index);
      } else if (batch.fileCount > 0) {
        await startCommit();
      } else if (committing !== null) {
        await settle(); // its results may add the files a DICOMDIR lists
      } else {
        break;
      }
    }
  } catch (error) {
    try {
      await settle();
      await commit(batch);
    } catch {
      await batch.abort();
    }
    throw error;
  }
}
