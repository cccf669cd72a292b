import { z } from 'zod';

/**
 * One element of a DICOM data set as the tag browser lists it: sequences are followed by their
 * items (`depth` 1 deeper), so the list reads as a tree.
 */
export const dicomTagSchema = z.object({
  /** "(0010,0010)"; an item of a sequence is "(FFFE,E000)". */
  tag: z.string(),
  vr: z.string(),
  /** The dictionary keyword ("PatientName"), "Private: <creator>" or "Item 2". */
  name: z.string(),
  /** The value as text; binary and long values are summarised ("binary, 524288 bytes"). */
  value: z.string(),
  /** Odd group: a vendor's private element. */
  isPrivate: z.boolean(),
  depth: z.number().int().min(0),
  /** Bytes of the value in the file. */
  length: z.number().int(),
});
export type DicomTag = z.infer<typeof dicomTagSchema>;

export const dicomTagsSchema = z.object({
  scanId: z.string(),
  frame: z.number().int(),
  sopInstanceUid: z.string().nullable(),
  transferSyntaxUid: z.string(),
  fileBytes: z.number().int(),
  tags: z.array(dicomTagSchema),
  /** Why some of the file was not read (e.g. only the header of a very large file). */
  notes: z.array(z.string()),
});
export type DicomTags = z.infer<typeof dicomTagsSchema>;
