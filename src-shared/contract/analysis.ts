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
  class: z.literal('tumour'),
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

/** The result of analysing one scan: stored, listed, reported and synced. */
export const analysisSchema = z.object({
  id: uuid,
  scanId: uuid,
  jobId: uuid.nullable(),
  createdAt: isoTimestamp,
  models: z.object({
    segmentation: modelRefSchema.nullable(),
    classification: modelRefSchema.nullable(),
  }),
  /** The execution provider that ran the models ('cpu', 'cuda', 'dml'). */
  provider: z.string(),
  /** Why the preferred (GPU) provider was not used, if it was not. */
  providerNote: z.string().nullable(),
  tumorDetected: z.boolean(),
  /** Approximate location of the largest detection, e.g. "Left frontal lobe (approximate)". */
  location: z.string().nullable(),
  /** Size of the largest detection, human-readable. */
  size: z.string().nullable(),
  notes: z.string(),
  /** Mean confidence over detections; for a negative result, 1 − the highest voxel probability. */
  overallConfidence: z.number().nullable(),
  imageQuality: z.object({ score: z.number().min(0).max(1), issues: z.array(z.string()) }),
  input: z.object({
    format: z.string(),
    dimensions: vec3,
    voxelSizes: vec3.nullable(),
    units: z.enum(['mm', 'pixels']),
  }),
  detections: z.array(detectionSchema),
  summary: z.object({
    count: z.number().int(),
    totalVolume_mm3: z.number().nullable(),
    averageConfidence: z.number().nullable(),
    largestDiameter_mm: z.number().nullable(),
  }),
  classification: z
    .object({
      label: z.string(),
      confidence: z.number(),
      probabilities: z.record(z.string(), z.number()),
      /** Slice (0-based, in the stored frame order) the classifier and its heatmap looked at. */
      slice: z.number().int(),
    })
    .nullable(),
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
