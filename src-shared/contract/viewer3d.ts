import { z } from 'zod';
import { uuid } from './entities.js';

/** What the `attachments.mesh` stream sends beside an attached STL file's bytes. */
export const attachmentMeshDescriptionSchema = z.object({
  attachmentId: uuid,
  scanId: uuid,
  /** The STL's own name, or the file name it was imported from. */
  description: z.string().nullable(),
  triangleCount: z.number().int().min(0),
});
export type AttachmentMeshDescription = z.infer<typeof attachmentMeshDescriptionSchema>;
