import type { Db } from '../db/connection.js';
import type { BlobStore } from './blob-store.js';

/**
 * Which blobs the records of some scans refer to: their files (originals, segmentations,
 * attachments) and their analyses' mask, heatmap and overlay. Deleting the scans removes every
 * such blob no other record still refers to: two scans can share a blob (an empty mask of the
 * same size, an overlay PNG imported as another patient's picture).
 */
export function createBlobReferences(db: Db) {
  const fileHashes = db.prepare<[string], { sha256: string }>(
    'SELECT sha256 FROM files WHERE scan_id = ?',
  );
  const analysisHashes = db.prepare<
    [string],
    { mask_sha256: string | null; heatmap_sha256: string | null; overlay_sha256: string | null }
  >('SELECT mask_sha256, heatmap_sha256, overlay_sha256 FROM analyses WHERE scan_id = ?');
  const visualizationHashes = db.prepare<[string], { blob_sha256: string }>(
    'SELECT blob_sha256 FROM visualizations WHERE scan_id = ? AND blob_sha256 IS NOT NULL',
  );
  const referenced = db.prepare<[string, string, string, string, string], { n: number }>(
    `SELECT (SELECT COUNT(*) FROM files WHERE sha256 = ?)
       + (SELECT COUNT(*) FROM analyses WHERE mask_sha256 = ? OR heatmap_sha256 = ? OR overlay_sha256 = ?)
       + (SELECT COUNT(*) FROM visualizations WHERE blob_sha256 = ?) AS n`,
  );
  return {
    /** Every blob the scans' records refer to (read before deleting the rows). */
    ofScans(scanIds: readonly string[]): string[] {
      const hashes = new Set<string>();
      for (const scanId of scanIds) {
        for (const row of fileHashes.all(scanId)) hashes.add(row.sha256);
        for (const row of analysisHashes.all(scanId)) {
          for (const hash of [row.mask_sha256, row.heatmap_sha256, row.overlay_sha256])
            if (hash !== null) hashes.add(hash);
        }
        // HTML scenes (migration 017).
        for (const row of visualizationHashes.all(scanId)) hashes.add(row.blob_sha256);
      }
      return [...hashes];
    },
    /** How many stored files (originals, segmentations, attachments) the scans have. */
    fileCountOfScans(scanIds: readonly string[]): number {
      return scanIds.reduce((sum, scanId) => sum + fileHashes.all(scanId).length, 0);
    },
    isReferenced(sha256: string): boolean {
      return (referenced.get(sha256, sha256, sha256, sha256, sha256)?.n ?? 0) > 0;
    },
  };
}
export type BlobReferences = ReturnType<typeof createBlobReferences>;

/**
 * Removes the blobs no record refers to any more; call after the rows are deleted (a crash in
 * between leaves unreferenced blobs, never rows without their files). Returns how many went.
 */
export async function removeUnreferencedBlobs(
  blobs: BlobStore,
  references: BlobReferences,
  hashes: readonly string[],
): Promise<number> {
  let removed = 0;
  for (const sha256 of hashes) {
    if (references.isReferenced(sha256)) continue;
    await blobs.remove(sha256);
    removed++;
  }
  return removed;
}
