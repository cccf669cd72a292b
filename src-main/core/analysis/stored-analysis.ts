import { z } from 'zod';
import {
  analysisSchema,
  brainTumourFindingsSchema,
  detectionSchema,
  type Analysis,
} from '../../../src-shared/contract/analysis.js';

/**
 * An analysis as stored before pipelines (migration 007's rows): brain findings at the top
 * level, `class: 'tumour'` on every detection, no applicability. Rows are never rewritten;
 * they are read through this shape and mapped.
 */
const legacyAnalysisSchema = analysisSchema
  .omit({ pipeline: true, applicability: true, warnings: true, findings: true, imageQuality: true })
  .extend({
    imageQuality: z.object({ score: z.number(), issues: z.array(z.string()) }),
    tumorDetected: z.boolean(),
    location: z.string().nullable(),
    size: z.string().nullable(),
    overallConfidence: z.number().nullable(),
    detections: z.array(detectionSchema),
    summary: brainTumourFindingsSchema.shape.summary,
    classification: brainTumourFindingsSchema.shape.classification,
  });

/** A stored analysis in today's shape, whichever shape it was stored in. */
export function readStoredAnalysis(stored: unknown): Analysis {
  const isLegacy =
    typeof stored === 'object' &&
    stored !== null &&
    !('findings' in stored) &&
    'tumorDetected' in stored;
  if (!isLegacy) return analysisSchema.parse(stored);
  const old = legacyAnalysisSchema.parse(stored);
  const {
    tumorDetected,
    location,
    size,
    overallConfidence,
    detections,
    summary,
    classification,
    ...rest
  } = old;
  return {
    ...rest,
    pipeline: 'brain-mr-tumour',
    // Made before inputs were checked: nothing was checked, so nothing is claimed.
    applicability: { verdict: 'unchecked', reasons: [], checkedFrom: [] },
    warnings: [],
    findings: {
      kind: 'brain-tumour',
      tumourDetected: tumorDetected,
      location,
      size,
      overallConfidence,
      detections,
      summary,
      classification,
    },
  };
}
