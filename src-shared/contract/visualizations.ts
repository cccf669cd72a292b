import { z } from 'zod';
import {
  isoTimestamp,
  jobStatusSchema,
  uuid,
  VISUALIZATION_COLOUR_SCHEMES,
  VISUALIZATION_QUALITIES,
} from './entities.js';

/**
 * Standalone interactive HTML scenes of a scan (issue 14 item 3, docs/html-export.md): one
 * self-contained HTML file per visualization, built by a `visualization.build` job and kept in
 * the blob store.
 */
export const visualizationOptionsSchema = z.object({
  highlightTumor: z.boolean(),
  colorScheme: z.enum(VISUALIZATION_COLOUR_SCHEMES),
  source: z.union([z.literal('analysis'), uuid]),
  withoutHead: z.boolean(),
});
export type VisualizationOptions = z.infer<typeof visualizationOptionsSchema>;

/** One visualization: while its job runs, `status` and `progress` are the job's. */
export const visualizationSchema = z.object({
  id: uuid,
  scanId: uuid,
  quality: z.enum(VISUALIZATION_QUALITIES),
  options: visualizationOptionsSchema,
  /** completed once the HTML file is stored; otherwise the state of the job building it. */
  status: jobStatusSchema,
  /** 0..1 */
  progress: z.number().min(0).max(1),
  stage: z.string().nullable(),
  /** Why the job failed (or that it was cancelled); null otherwise. */
  error: z.string().nullable(),
  jobId: uuid.nullable(),
  /** Bytes of the HTML file; null until it is stored. */
  size: z.number().int().nullable(),
  /** Lesions shown; null until built. */
  lesionCount: z.number().int().nullable(),
  fileName: z.string(),
  createdAt: isoTimestamp,
});
export type Visualization = z.infer<typeof visualizationSchema>;

export const visualizationListInputSchema = z.object({ scanId: uuid }).strict();

export const visualizationHtmlDescriptionSchema = z.object({
  fileName: z.string(),
  size: z.number().int(),
});
