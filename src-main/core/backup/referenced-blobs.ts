import type { Db } from '../db/connection.js';

/**
 * Every blob a database's records refer to: stored files (originals, segmentations,
 * attachments) and analyses' mask, heatmap and overlay (store/blob-references.ts lists the same
 * columns per scan). Used to prove a backup holds everything its database needs.
 */
export function referencedBlobs(db: Db): Set<string> {
  // HTML scenes (migration 017), where the database has them (a backup may be older).
  const hasScenes =
    db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'visualizations'")
      .get() !== undefined;
  const rows = db
    .prepare<[], { sha256: string | null }>(
      `SELECT sha256 FROM files
       UNION SELECT mask_sha256 FROM analyses UNION SELECT heatmap_sha256 FROM analyses
       UNION SELECT overlay_sha256 FROM analyses` +
        (hasScenes ? ' UNION SELECT blob_sha256 FROM visualizations' : ''),
    )
    .all();
  return new Set(rows.flatMap((row) => (row.sha256 === null ? [] : [row.sha256])));
}
