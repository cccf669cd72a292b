import { z } from 'zod';
import { isoTimestamp, uuid } from './entities.js';

const vec3 = z.tuple([z.number(), z.number(), z.number()]);

const volumeMetricsSchema = z.object({
  kind: z.literal('volume'),
  volume_mm3: z.number(),
  surface_area_mm2: z.number(),
  diameter_mm: z.number(),
  sphericity: z.number(),
  elongation: z.number(),
  flatness: z.number(),
  compactness: z.number(),
});

const sliceMetricsSchema = z.object({
  kind: z.literal('slice'),
  area: z.number(),
  perimeter: z.number(),
  diameter: z.number(),
  circularity: z.number(),
  elongation: z.number(),
});

/** One connected lesion, as in the Medical Imaging AI seed's detections. */
export const detectionSchema = z.object({
  detectionId: z.string(),
  /** What was found, as the segmentation model's manifest labels it (e.g. "tumour"). */
  class: z.string().min(1),
  confidence: z.number().nullable(),
  voxelCount: z.number().int(),
  /** 'pixels' for a 2D picture without a known pixel size. */
  units: z.enum(['mm', 'pixels']),
  boundingBox: z.object({
    voxels: z.object({ min: vec3, max: vec3 }),
    mm: z.object({ min: vec3, max: vec3, size: vec3 }).nullable(),
  }),
  centroid: z.object({ voxels: vec3, mm: vec3.nullable() }),
  metrics: z.discriminatedUnion('kind', [volumeMetricsSchema, sliceMetricsSchema]),
  /** Human-readable size for reports, e.g. "3.2 × 2.8 × 2.5 cm (14.6 mL)". */
  size: z.string(),
  location: z.object({
    approximate: z.literal(true),
    hemisphere: z.string().nullable(),
    region: z.string().nullable(),
    description: z.string(),
  }),
});
export type Detection = z.infer<typeof detectionSchema>;

export const modelRefSchema = z.object({ id: z.string(), version: z.string() });

/** The tumour type from the classifier, on one slice. */
export const tumourClassificationSchema = z.object({
  label: z.string(),
  confidence: z.number(),
  probabilities: z.record(z.string(), z.number()),
  /** Slice (0-based, in the stored frame order) the classifier and its heatmap looked at. */
  slice: z.number().int(),
});

/**
 * What the result says about the tumour type, after the classifier's answer was read against the
 * segmentation: 'suggested' (a type given a tumour), 'undetermined' (the classifier ran but its
 * answer does not allow a type), 'not-assessed' (the classifier did not run: it does not read
 * this series, or is not installed), 'none' (neither model found a tumour).
 */
export const tumourTypeAssessmentSchema = z.object({
  status: z.enum(['suggested', 'undetermined', 'not-assessed', 'none']),
  /** The suggested type (a classifier label other than its no-tumour label), when suggested. */
  type: z.string().nullable(),
  /** p(type | tumour): renormalised over the tumour classes, when suggested. */
  probability: z.number().nullable(),
  /** The sentence a reader sees, e.g. "Tumour type not assessed: the type model reads …". */
  statement: z.string(),
  /** Where the segmentation and the classifier disagree: what each says and which to trust. */
  disagreement: z.string().nullable(),
});
export type TumourTypeAssessment = z.infer<typeof tumourTypeAssessmentSchema>;

/** Findings of the brain MR pipeline: segmented lesions, their measurements and a tumour type. */
export const brainTumourFindingsSchema = z.object({
  kind: z.literal('brain-tumour'),
  tumourDetected: z.boolean(),
  /** Approximate location of the largest detection, e.g. "Left frontal lobe (approximate)". */
  location: z.string().nullable(),
  /** Size of the largest detection, human-readable. */
  size: z.string().nullable(),
  /** Mean confidence over detections; for a negative result, 1 − the highest voxel probability. */
  overallConfidence: z.number().nullable(),
  detections: z.array(detectionSchema),
  summary: z.object({
    count: z.number().int(),
    totalVolume_mm3: z.number().nullable(),
    averageConfidence: z.number().nullable(),
    largestDiameter_mm: z.number().nullable(),
  }),
  /** The classifier's raw answer on one slice; read it through `tumourType`. */
  classification: tumourClassificationSchema.nullable(),
  /**
   * The tumour type as the reader should see it (never "notumor" beside a segmented lesion).
   * Absent on results stored before it existed: readers then fall back to `classification`.
   */
  tumourType: tumourTypeAssessmentSchema.optional(),
});
export type BrainTumourFindings = z.infer<typeof brainTumourFindingsSchema>;

/** What the chest X-ray model tells apart (issue 18; models/chest-xray-pneumonia). */
export const CHEST_XRAY_LABELS = ['normal', 'pneumonia'] as const;
export type ChestXrayLabel = (typeof CHEST_XRAY_LABELS)[number];

/** Something about the radiograph itself that limits the reading, where it can be detected. */
export const chestXrayQualityNoteSchema = z.object({
  code: z.enum([
    'under-exposed',
    'over-exposed',
    'rotated',
    'low-resolution',
    'inverted-photometric',
    'not-frontal',
  ]),
  /** In words a radiographer uses, e.g. "The image looks under-exposed (mean intensity …)". */
  message: z.string(),
});
export type ChestXrayQualityNote = z.infer<typeof chestXrayQualityNoteSchema>;

/** Findings of the chest X-ray pipeline: normal vs pneumonia, calibrated, with a heatmap image. */
export const chestXrayFindingsSchema = z.object({
  kind: z.literal('chest-xray'),
  label: z.enum(CHEST_XRAY_LABELS),
  /** Calibrated (temperature-scaled) probabilities; they sum to 1. */
  probabilities: z.object({ normal: z.number(), pneumonia: z.number() }),
  /** p(pneumonia) at or above which the label is "pneumonia" (the model card's operating point). */
  threshold: z.number(),
  qualityNotes: z.array(chestXrayQualityNoteSchema),
  /** The sentence an expert reader sees, e.g. "Pneumonia suggested (p = 0.93)". */
  statement: z.string(),
});
export type ChestXrayFindings = z.infer<typeof chestXrayFindingsSchema>;

/** No model ran: the input is not what the pipeline's models read (see `applicability`). */
export const notApplicableFindingsSchema = z.object({
  kind: z.literal('not-applicable'),
  /** In clinical words: what the model reads and what this series is. */
  reason: z.string(),
});

/**
 * What an analysis found, by the kind of pipeline that made it. A new pipeline (chest X-ray,
 * dental CBCT) adds its own member; readers switch on `kind` and end in an exhaustiveness check.
 */
export const findingsSchema = z.discriminatedUnion('kind', [
  brainTumourFindingsSchema,
  chestXrayFindingsSchema,
  notApplicableFindingsSchema,
]);
export type Findings = z.infer<typeof findingsSchema>;
export type FindingsKind = Findings['kind'];

/**
 * Whether the input is what the models read. 'not-applicable': refused, no model ran;
 * 'forced': it is not, but a user asked to run anyway (the result carries a warning);
 * 'unchecked': nothing to check against (the models declare no applicability).
 */
export const applicabilitySchema = z.object({
  verdict: z.enum(['applicable', 'not-applicable', 'forced', 'unchecked']),
  /** Why the input does not match, in clinical words; empty when it does. */
  reasons: z.array(z.string()),
  /** What the check could read: DICOM attributes, image size, a learned image gate. */
  checkedFrom: z.array(z.enum(['dicom-attributes', 'image-geometry', 'image-gate'])),
});
export type Applicability = z.infer<typeof applicabilitySchema>;

/** The result of analysing one scan: stored, listed, reported and synced. */
export const analysisSchema = z.object({
  id: uuid,
  scanId: uuid,
  jobId: uuid.nullable(),
  createdAt: isoTimestamp,
  /** The pipeline that made it, e.g. "brain-mr-tumour". */
  pipeline: z.string(),
  models: z.object({
    segmentation: modelRefSchema.nullable(),
    classification: modelRefSchema.nullable(),
  }),
  /** The execution provider that ran the models ('cpu', 'cuda', 'dml'); null when none ran. */
  provider: z.string().nullable(),
  /** Why the preferred (GPU) provider was not used, if it was not. */
  providerNote: z.string().nullable(),
  applicability: applicabilitySchema,
  /** Shown wherever the result appears, e.g. a run forced on an input the model does not read. */
  warnings: z.array(z.string()),
  notes: z.string(),
  /** Null when no model read the images (a refused input). */
  imageQuality: z
    .object({ score: z.number().min(0).max(1), issues: z.array(z.string()) })
    .nullable(),
  input: z.object({
    format: z.string(),
    dimensions: vec3,
    voxelSizes: vec3.nullable(),
    units: z.enum(['mm', 'pixels']),
  }),
  findings: findingsSchema,
  timings: z.object({
    loadMs: z.number(),
    preprocessMs: z.number(),
    inferenceMs: z.number(),
    postprocessMs: z.number(),
    totalMs: z.number(),
  }),
  outputs: z.object({
    hasMask: z.boolean(),
    hasHeatmap: z.boolean(),
    hasOverlay: z.boolean(),
  }),
});
export type Analysis = z.infer<typeof analysisSchema>;

/** The pictures an analysis may store besides its mask (see `outputs.hasHeatmap`/`hasOverlay`). */
export const ANALYSIS_IMAGE_KINDS = ['heatmap', 'overlay'] as const;
export type AnalysisImageKind = (typeof ANALYSIS_IMAGE_KINDS)[number];

export function isAnalysisImageKind(value: unknown): value is AnalysisImageKind {
  return value === 'heatmap' || value === 'overlay';
}

/** Whether the result says anything about the patient (dashboards count only these). */
export function isApplicableAnalysis(analysis: Pick<Analysis, 'applicability'>): boolean {
  const { verdict } = analysis.applicability;
  return verdict === 'applicable' || verdict === 'unchecked';
}

/** The brain findings of an analysis, or null for another kind (or a refused input). */
export function brainTumourFindings(
  analysis: Pick<Analysis, 'findings'>,
): BrainTumourFindings | null {
  return analysis.findings.kind === 'brain-tumour' ? analysis.findings : null;
}

/** Whether the findings report something to look at (a lesion, later an abnormal radiograph). */
export function isPositiveFinding(findings: Findings): boolean {
  switch (findings.kind) {
    case 'brain-tumour':
      return findings.tumourDetected;
    case 'chest-xray':
      return findings.label !== 'normal';
    case 'not-applicable':
      return false;
    default: {
      const unknown: never = findings;
      return unknown;
    }
  }
}
