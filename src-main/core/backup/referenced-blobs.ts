import type { Db } from '../db/connection.js';

/**
 * Every blob a database's records refer to: stored files (originals, segmentations,
 * attachments) and analyses' mask, heatmap and overlay (store/blob-references.ts lists the same
 * columns per scan). Used to prove a backup holds everything its database needs.
 */
export function referencedBlobs(db: Db): Set<string> {
  const rows = db
    .prepare<[], { sha256: string | null }>(
      `SELECT sha256 FROM files
       UNION SELECT mask_sha256 FROM analyses UNION SELECT heatmap_sha256 FROM analyses
       UNION SELECT overlay_sha256 FROM analyses`,
    )
    .all();
  return new Set(rows.flatMap((row) => (row.sha256 === null ? [] : [row.sha256])));
}
