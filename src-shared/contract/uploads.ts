import { z } from 'zod';
import { uuid } from './entities.js';

/**
 * Uploads let a client without access to the workstation's file system (a browser) import
 * files: `uploads.begin` opens a batch, each file's bytes go over the `uploads.put` stream
 * (HTTP `PUT /api/stream/uploads.put?batchId=<id>&name=<relative path>`, or IPC), and
 * `uploads.commit` starts the normal import job on the staged files.
 */
export const uploadBatchSchema = z.object({
  batchId: uuid,
  /** The per-file size limit; larger files are refused before their bytes are sent. */
  maxFileBytes: z.number().int(),
  /** How many files one batch may hold. */
  maxFiles: z.number().int(),
});
export type UploadBatch = z.infer<typeof uploadBatchSchema>;

/** What the binary upload transport answers for one stored file. */
export const uploadedFileSchema = z.object({
  name: z.string(),
  bytes: z.number().int(),
});
export type UploadedFile = z.infer<typeof uploadedFileSchema>;
