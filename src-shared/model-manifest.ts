import { z } from 'zod';

export const IMAGE_PLANES = ['axial', 'coronal', 'sagittal'] as const;
export type ImagePlane = (typeof IMAGE_PLANES)[number];

const range = z
  .object({ min: z.number().positive(), max: z.number().positive() })
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max' });

/**
 * What a model can read. Checked against the scan (its DICOM attributes where it has them)
 * before the model runs: an input outside it is reported "not applicable", not analysed.
 * Names are DICOM's where DICOM has one (Modality codes, BodyPartExamined values, upper case).
 */
export const modelApplicabilitySchema = z.object({
  /** DICOM Modality codes, e.g. ["MR"]. */
  modalities: z.array(z.string().regex(/^[A-Z0-9]+$/)).min(1),
  /** DICOM BodyPartExamined values, e.g. ["BRAIN", "HEAD"]. */
  bodyParts: z.array(z.string().regex(/^[A-Z0-9_ ]+$/)).min(1),
  /** Sequences / contrasts the model was trained on, e.g. ["FLAIR"]; absent: any. */
  sequences: z.array(z.enum(['FLAIR', 'T1', 'T1-POST-CONTRAST', 'T2', 'DWI', 'CT'])).optional(),
  /** Acquisition planes of 2D or thick-slice inputs; absent: any. */
  planes: z.array(z.enum(IMAGE_PLANES)).min(1).optional(),
  /** '2d': single images; '3d': series and volumes. Absent: both. */
  dimensionality: z
    .array(z.enum(['2d', '3d']))
    .min(1)
    .optional(),
  /** Rows and columns of one image, in pixels. */
  inPlanePixels: range.optional(),
  /** In-plane pixel spacing in mm, where the input has one. */
  pixelSpacingMm: range.optional(),
  /** In words, for the "not applicable" message: "axial brain FLAIR MR". */
  description: z.string().min(1),
});
export type ModelApplicability = z.infer<typeof modelApplicabilitySchema>;

/**
 * The manifest shipped beside every model in models/<id>/manifest.json.
 * The core refuses a model whose manifest does not validate or whose sha256 differs.
 */
export const modelManifestSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  version: z.string(),
  // image-gate: tells what an image shows (sequence, body part) before a model reads it.
  task: z.enum(['segmentation', 'classification', 'image-gate']),
  modality: z.string(),
  sequence: z.string().optional(),
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  input: z.object({
    name: z.string(),
    layout: z.literal('NCHW'),
    channels: z.number().int().positive(),
    height: z.number().int().positive(),
    width: z.number().int().positive(),
    dtype: z.literal('float32'),
  }),
  outputs: z.array(
    z.object({
      name: z.string(),
      shape: z.array(z.union([z.string(), z.number()])),
      semantics: z.string(),
    }),
  ),
  preprocessing: z.object({
    plane: z.string().optional(),
    intensity: z.object({ method: z.string() }).passthrough(),
    resize: z.string(),
    /**
     * Test-time augmentation the model's figures were measured with: "horizontal" averages the
     * probabilities of each slice and of its left-right mirror (mirrored back).
     */
    testTimeFlips: z.array(z.enum(['horizontal'])).optional(),
  }),
  labels: z.array(z.string()).min(2),
  thresholds: z.record(z.string(), z.number()),
  calibration: z.object({ temperature: z.number().positive() }).optional(),
  cam: z
    .object({
      featureOutput: z.string(),
      weights: z.array(z.array(z.number())),
      bias: z.array(z.number()),
    })
    .optional(),
  training: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.unknown()),
  licence: z.string(),
  intendedUse: z.string(),
  /**
   * The part this model plays in an analysis pipeline (e.g. "tumour-segmentation",
   * "tumour-type"); a pipeline takes its models by role, task and applicability.
   */
  role: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
  /** The model a pipeline uses for its role when none is named (one default per role). */
  default: z.boolean().optional(),
  applicability: modelApplicabilitySchema.optional(),
});

export type ModelManifest = z.infer<typeof modelManifestSchema>;
