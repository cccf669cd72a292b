import { z } from 'zod';
import { uuid } from './entities.js';

/**
 * How the analysis's tumour mask compares with an expert segmentation of the same scan, on the
 * scan's frame grid. The whole tumour is compared: any non-zero label of the segmentation against
 * the analysis mask (which has one label), because the model segments the whole lesion and does
 * not tell necrosis, oedema and enhancing tumour apart.
 */
export const segmentationComparisonSchema = z.object({
  scanId: uuid,
  segmentationId: uuid,
  /** What was compared, in words ("whole tumour: any non-zero label …"). */
  region: z.string(),
  /** 2·|A∩E| / (|A|+|E|), 0..1; null when both are empty (nothing to compare). */
  dice: z.number().min(0).max(1).nullable(),
  aiVoxels: z.number().int().min(0),
  expertVoxels: z.number().int().min(0),
  overlapVoxels: z.number().int().min(0),
  /** The volume of one voxel in mL; null for a picture without pixel size. */
  voxelMl: z.number().positive().nullable(),
  aiMl: z.number().min(0).nullable(),
  expertMl: z.number().min(0).nullable(),
  /** AI minus expert, in mL (positive: the AI mask is larger). */
  differenceMl: z.number().nullable(),
  /** AI minus expert, as a percentage of the expert volume; null when the expert mask is empty. */
  differencePercent: z.number().nullable(),
});
export type SegmentationComparison = z.infer<typeof segmentationComparisonSchema>;

export const compareSegmentationInputSchema = z
  .object({ scanId: uuid, segmentationId: uuid })
  .strict();

/** Which records move to the patient: the scan alone, or its whole study (DICOM). */
export const assignmentScopeSchema = z.enum(['scan', 'study']);
export type AssignmentScope = z.infer<typeof assignmentScopeSchema>;

export const assignPatientInputSchema = z
  .object({
    scanId: uuid,
    patientId: uuid,
    /**
     * 'study' moves every series of the scan's study; a DICOM series always moves with its study
     * (a study belongs to one patient), so 'scan' is refused for a series whose study holds others.
     */
    scope: assignmentScopeSchema.default('scan'),
  })
  .strict();

export const patientAssignmentSchema = z.object({
  patientId: uuid,
  /** The patient the scans belonged to before; null for "Unknown patient" (none). */
  previousPatientId: uuid.nullable(),
  scanIds: z.array(uuid),
  studyIds: z.array(uuid),
});
export type PatientAssignment = z.infer<typeof patientAssignmentSchema>;
