import { z } from 'zod';

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
});

export type ModelManifest = z.infer<typeof modelManifestSchema>;
