import { z } from 'zod';
import { isoTimestamp, uuid } from './entities.js';

/** What a reader can draw and keep on a scan. */
export const MEASUREMENT_KINDS = ['length', 'ellipse', 'angle', 'arrow'] as const;
export type MeasurementKindName = (typeof MEASUREMENT_KINDS)[number];

/**
 * How many points each kind has: length (two ends), ellipse (two opposite corners of its
 * bounding box), angle (end, vertex, end), arrow (tail, head; its text is the label).
 */
export const MEASUREMENT_POINT_COUNTS: Readonly<Record<MeasurementKindName, number>> = {
  length: 2,
  ellipse: 2,
  angle: 3,
  arrow: 2,
};

const coordinate = z.number().finite().min(-1e6).max(1e6);
export const imagePointSchema = z.object({ x: coordinate, y: coordinate }).strict();

/** One figure of a measurement, with its unit ("mm", "px", "mm²", "HU", "a.u.", "°"). */
export const measuredValueSchema = z.object({
  name: z.enum(['length', 'area', 'mean', 'sd', 'min', 'max', 'pixels', 'angle']),
  value: z.number(),
  unit: z.string(),
});
export type MeasuredValue = z.infer<typeof measuredValueSchema>;

const labelText = z.string().trim().max(200, 'A label has at most 200 characters');

export const measurementSchema = z.object({
  id: uuid,
  scanId: uuid,
  /** 0-based frame (slice) index, as frames.read counts. */
  frame: z.number().int().min(0),
  kind: z.enum(MEASUREMENT_KINDS),
  /** Image pixel coordinates of the frame (continuous: pixel (0,0) covers [0,1) × [0,1)). */
  points: z.array(imagePointSchema),
  /** The same points in patient space (LPS, mm); null where the scan has no geometry. */
  patientPoints: z.array(z.tuple([z.number(), z.number(), z.number()])).nullable(),
  /** Computed by the core from the points, the pixel spacing and the frame's values. */
  values: z.array(measuredValueSchema),
  label: z.string(),
  /** The user who drew it (username). */
  author: z.string(),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
});
export type SavedMeasurement = z.infer<typeof measurementSchema>;

function pointCountMatches(input: { kind: MeasurementKindName; points: unknown[] }): boolean {
  return input.points.length === MEASUREMENT_POINT_COUNTS[input.kind];
}

export const measurementCreateInputSchema = z
  .object({
    scanId: uuid,
    frame: z.number().int().min(0).max(9_999_999),
    kind: z.enum(MEASUREMENT_KINDS),
    points: z.array(imagePointSchema).min(2).max(3),
    label: labelText.optional(),
  })
  .strict()
  .refine(pointCountMatches, {
    message: 'A length, ellipse or arrow has 2 points and an angle 3',
    path: ['points'],
  });

export const measurementUpdateInputSchema = z
  .object({
    id: uuid,
    points: z.array(imagePointSchema).min(2).max(3).optional(),
    label: labelText.optional(),
  })
  .strict();

export const measurementsCsvDescriptionSchema = z.object({
  fileName: z.string(),
  count: z.number().int().min(0),
});
