import { z } from 'zod';
import { ERROR_CODES } from '../errors.js';
import { ROLES } from '../roles.js';
import { vector3Schema as vector3 } from '../geometry/schemas.js';
import { gpuCheckSchema } from './gpu.js';

/** Timestamps cross the contract as ISO 8601 UTC strings. */
export const isoTimestamp = z.string().min(20);
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
export const uuid = z.string().uuid();

export const appErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  correlationId: z.string().optional(),
});

export const roleSchema = z.enum(ROLES);

export const userSchema = z.object({
  id: uuid,
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  createdAt: isoTimestamp,
  lastLoginAt: isoTimestamp.nullable(),
  /** A patient account's own patient record; null for every other role. */
  patientId: uuid.nullable(),
  /** Set while failed logins keep the account locked. */
  lockedUntil: isoTimestamp.nullable(),
});
export type User = z.infer<typeof userSchema>;

export const sexSchema = z.enum(['M', 'F', 'O']);

export const patientSchema = z.object({
  id: uuid,
  /** The clinic's patient identifier (DICOM PatientID / MRN). */
  mrn: z.string().nullable(),
  name: z.string(),
  birthDate: isoDate.nullable(),
  sex: sexSchema.nullable(),
  notes: z.string(),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
  studyCount: z.number().int(),
  scanCount: z.number().int(),
});
export type Patient = z.infer<typeof patientSchema>;

export const studySchema = z.object({
  id: uuid,
  patientId: uuid.nullable(),
  studyInstanceUid: z.string().nullable(),
  studyDate: isoDate.nullable(),
  description: z.string().nullable(),
  accessionNumber: z.string().nullable(),
  createdAt: isoTimestamp,
});
export type Study = z.infer<typeof studySchema>;

export const seriesSchema = z.object({
  id: uuid,
  studyId: uuid,
  seriesInstanceUid: z.string().nullable(),
  seriesNumber: z.number().int().nullable(),
  modality: z.string().nullable(),
  description: z.string().nullable(),
  instanceCount: z.number().int(),
});
export type Series = z.infer<typeof seriesSchema>;

export const SCAN_STATUSES = ['imported', 'queued', 'processing', 'completed', 'failed'] as const;
export const scanStatusSchema = z.enum(SCAN_STATUSES);
export const SCAN_FORMATS = ['dicom', 'png', 'jpeg', 'nifti'] as const;
export const SCAN_KINDS = ['image', 'series', 'volume'] as const;

export const scanSchema = z.object({
  id: uuid,
  patientId: uuid.nullable(),
  patientName: z.string().nullable(),
  patientMrn: z.string().nullable(),
  studyId: uuid.nullable(),
  seriesId: uuid.nullable(),
  /** 'image': one 2D picture; 'series': DICOM instances of one series; 'volume': a NIfTI volume. */
  kind: z.enum(SCAN_KINDS),
  format: z.enum(SCAN_FORMATS),
  modality: z.string().nullable(),
  description: z.string().nullable(),
  status: scanStatusSchema,
  rows: z.number().int().nullable(),
  columns: z.number().int().nullable(),
  /** Number of slices (instances or frames) in the scan. */
  slices: z.number().int(),
  /** Voxel spacing in mm as [column, row, slice]; null where the source has none (PNG/JPEG). */
  spacing: z.tuple([z.number(), z.number(), z.number().nullable()]).nullable(),
  acquiredAt: isoDate.nullable(),
  createdAt: isoTimestamp,
  /** Voxel grid size [columns, rows, slices]; null until the volume has been assembled. */
  dims: z.tuple([z.number().int(), z.number().int(), z.number().int()]).nullable(),
  /** Patient-space position (LPS, mm) of the centre of the first voxel of the first slice. */
  origin: vector3.nullable(),
  /**
   * Direction cosines (LPS) of the voxel axes: [column axis, row axis, slice axis], 9 numbers
   * row-major as three 3-vectors. Voxel (i, j, k) lies at origin + i·sx·d0 + j·sy·d1 + k·sz·d2.
   */
  direction: z.tuple([vector3, vector3, vector3]).nullable(),
  /** Problems found while assembling the volume (gaps, irregular spacing, excluded instances). */
  warnings: z.array(z.string()),
});
export type Scan = z.infer<typeof scanSchema>;

export const fileRecordSchema = z.object({
  id: uuid,
  sha256: z.string().length(64),
  size: z.number().int(),
  mimeType: z.string(),
  originalPath: z.string().nullable(),
  scanId: uuid.nullable(),
  instanceId: uuid.nullable(),
  createdAt: isoTimestamp,
});
export type FileRecord = z.infer<typeof fileRecordSchema>;

export const instanceSchema = z.object({
  id: uuid,
  seriesId: uuid,
  sopInstanceUid: z.string(),
  instanceNumber: z.number().int().nullable(),
  rows: z.number().int().nullable(),
  columns: z.number().int().nullable(),
  transferSyntaxUid: z.string().nullable(),
  fileId: uuid,
});
export type Instance = z.infer<typeof instanceSchema>;

export const segmentationSchema = z.object({
  id: uuid,
  scanId: uuid,
  fileId: uuid,
  /** The distinct non-zero label values present in the label map. */
  labels: z.array(z.number().int()),
  /** Where the label map came from (e.g. the file name or tool). */
  source: z.string(),
  createdAt: isoTimestamp,
});
export type Segmentation = z.infer<typeof segmentationSchema>;

export const attachmentSchema = z.object({
  id: uuid,
  scanId: uuid,
  fileId: uuid,
  kind: z.enum(['mesh']),
  triangleCount: z.number().int(),
  /** Axis-aligned bounds of the mesh in its own units: [min xyz, max xyz]. */
  boundingBox: z.tuple([vector3, vector3]),
  description: z.string().nullable(),
  createdAt: isoTimestamp,
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const JOB_STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled'] as const;
export const jobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof jobStatusSchema>;

/**
 * How soon a waiting job runs: the queue takes the highest priority first, oldest first within
 * one (a running job is never pre-empted). Normal work is MEDIUM; the seed's expert readings
 * choose theirs (docs/xray-readings.md).
 */
export const JOB_PRIORITIES = ['LOW', 'MEDIUM', 'HIGH'] as const;
export const jobPrioritySchema = z.enum(JOB_PRIORITIES);
export type JobPriority = z.infer<typeof jobPrioritySchema>;

/**
 * The input of `import.files`, and the payload of the import job it starts: one schema for both,
 * so a job's payload is exactly what the method accepted.
 */
export const importFilesInputSchema = z
  .object({
    paths: z.array(z.string().min(1)).min(1).max(10_000),
    patientId: uuid.optional(),
    /** Import the NIfTI label maps among the files as segmentations of this scan. */
    segmentationOf: uuid.optional(),
    /** Attach STL meshes among the files to this scan (else to the one scan the import creates). */
    attachTo: uuid.optional(),
  })
  .strict();
export type ImportFilesInput = z.infer<typeof importFilesInputSchema>;

/** The input of `analysis.start`, and the payload of the analysis job it starts. */
export const analysisStartInputSchema = z
  .object({
    scanId: uuid,
    segmentationModel: z.string().max(64).optional(),
    /** null skips the tumour-type classification. */
    classificationModel: z.string().max(64).nullable().optional(),
    /**
     * For a 2D image: the other slices of its series (e.g. a folder of PNG exports), so the
     * intensity window is computed over the whole series, as the model was trained.
     */
    normaliseWith: z.array(uuid).max(500).optional(),
    /**
     * Run even where the scan is not what the models read (e.g. a chest radiograph for a
     * brain model); the result then carries a warning wherever it appears.
     */
    force: z.boolean().optional(),
  })
  .strict();
export type AnalysisStartInput = z.infer<typeof analysisStartInputSchema>;

/** The seed's 3D options: mesh quality, tumour emphasis, colours (docs/viewer3d.md). */
export const VISUALIZATION_QUALITIES = ['low', 'medium', 'high'] as const;
export const VISUALIZATION_COLOUR_SCHEMES = ['standard', 'colorblind'] as const;

/**
 * The input of `visualizations.create`, and the payload of the job it starts (with the id the
 * visualization will have, chosen when it is queued so the caller can follow it at once).
 */
export const visualizationCreateInputSchema = z
  .object({
    scanId: uuid,
    quality: z.enum(VISUALIZATION_QUALITIES).default('medium'),
    highlightTumor: z.boolean().default(true),
    colorScheme: z.enum(VISUALIZATION_COLOUR_SCHEMES).default('standard'),
    /** The tumour mask: 'analysis' or a segmentation id; default the analysis, else a label map. */
    source: z.union([z.literal('analysis'), uuid]).optional(),
    /** Leave out the head (or brain) surface. */
    withoutHead: z.boolean().optional(),
  })
  .strict();
export type VisualizationCreateInput = z.infer<typeof visualizationCreateInputSchema>;

export const visualizationJobPayloadSchema = visualizationCreateInputSchema
  .extend({ visualizationId: uuid, source: z.union([z.literal('analysis'), uuid]) })
  .strict();

/** The two readings of a chest X-ray (the doctor/patient seed; docs/xray-readings.md). */
export const READING_KINDS = ['friendly', 'expert'] as const;
export const readingKindSchema = z.enum(READING_KINDS);
export type ReadingKind = z.infer<typeof readingKindSchema>;

/**
 * The input of `readings.request`, and the payload of the reading job it starts (the reading's
 * id is the job's id, so the seed's task id names both).
 */
export const readingRequestInputSchema = z
  .object({
    scanId: uuid,
    kind: readingKindSchema,
    /** How soon it runs among waiting work; default MEDIUM. */
    priority: jobPrioritySchema.default('MEDIUM'),
    /** The radiologist's notes (the seed's `additional_notes`), shown with the expert reading. */
    notes: z.string().max(4000).default(''),
    /** Attach the treatment suggestions to the reading (shown only to roles allowed to see them). */
    includeSuggestions: z.boolean().default(true),
  })
  .strict();
export type ReadingRequestInput = z.input<typeof readingRequestInputSchema>;

/** Each kind of job with the schema of its payload. */
/** The voice caption transcription job's payload (dental voice captions, issue 19). */
export const voiceTranscribeJobPayloadSchema = z.object({ voiceCaptionId: uuid }).strict();

export const jobPayloadSchemas = {
  'import.files': importFilesInputSchema,
  'analysis.run': analysisStartInputSchema,
  'visualization.build': visualizationJobPayloadSchema,
  'reading.run': readingRequestInputSchema,
  'voice.transcribe': voiceTranscribeJobPayloadSchema,
} as const;
export type JobType = keyof typeof jobPayloadSchemas;
export type JobPayload<T extends JobType> = z.infer<(typeof jobPayloadSchemas)[T]>;

const jobFields = {
  id: uuid,
  status: jobStatusSchema,
  priority: jobPrioritySchema,
  /** 0..1 */
  progress: z.number().min(0).max(1),
  stage: z.string().nullable(),
  /** Estimated seconds remaining, null until there is a rate to estimate from. */
  etaSeconds: z.number().nullable(),
  error: appErrorSchema.nullable(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  createdBy: z.string().nullable(),
  createdAt: isoTimestamp,
  startedAt: isoTimestamp.nullable(),
  finishedAt: isoTimestamp.nullable(),
  updatedAt: isoTimestamp,
  result: z.unknown().nullable(),
};

/** A job, its payload typed by its kind: `job.type === 'analysis.run'` gives `job.payload.scanId`. */
export const jobSchema = z.discriminatedUnion('type', [
  z.object({ ...jobFields, type: z.literal('import.files'), payload: importFilesInputSchema }),
  z.object({ ...jobFields, type: z.literal('analysis.run'), payload: analysisStartInputSchema }),
  z.object({
    ...jobFields,
    type: z.literal('visualization.build'),
    payload: visualizationJobPayloadSchema,
  }),
  z.object({ ...jobFields, type: z.literal('reading.run'), payload: readingRequestInputSchema }),
  z.object({
    ...jobFields,
    type: z.literal('voice.transcribe'),
    payload: voiceTranscribeJobPayloadSchema,
  }),
]);
export type Job = z.infer<typeof jobSchema>;
export type JobOf<T extends JobType> = Extract<Job, { type: T }>;

export const importItemSchema = z.object({
  path: z.string(),
  status: z.enum(['imported', 'duplicate', 'rejected']),
  code: z.enum(ERROR_CODES).optional(),
  reason: z.string().optional(),
  scanId: uuid.optional(),
  fileId: uuid.optional(),
});
export type ImportItem = z.infer<typeof importItemSchema>;

export const importReportSchema = z.object({
  total: z.number().int(),
  imported: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  scanIds: z.array(uuid),
  items: z.array(importItemSchema),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const healthSchema = z.object({
  status: z.enum(['healthy', 'degraded']),
  timestamp: isoTimestamp,
  version: z.string(),
  uptime: z.number(),
  database: z.object({ status: z.enum(['ok', 'error']), schemaVersion: z.number().int() }),
  models: z.object({
    status: z.enum(['ok', 'none', 'error']),
    available: z.array(z.string()),
  }),
  /** The onnxruntime execution provider of the last model loaded ('unknown' before the first). */
  inference: z.object({
    provider: z.string(),
    /** Why the GPU is not used; null when it is, or before the first model loaded. */
    gpuNote: z.string().nullable(),
    /** The last GPU check (provider, device, why not the GPU); null before the first. */
    gpu: gpuCheckSchema.nullable(),
  }),
  /** Jobs waiting and running, as the ToothFairy seed's health reports them. */
  queue: z.object({ pending: z.number().int(), processing: z.number().int() }),
  /** Encryption at rest of the data folder (docs/encryption.md). */
  encryption: z.object({ enabled: z.boolean() }),
});
export type Health = z.infer<typeof healthSchema>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    limit: z.number().int(),
    totalPages: z.number().int(),
  });
}

export const pagingInput = {
  page: z.number().int().min(1).default(1),
  limit: z.number().int().min(1).max(500).default(50),
};

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
  totalPages: number;
}
