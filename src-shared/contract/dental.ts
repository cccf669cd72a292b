import { z } from 'zod';
import { isoTimestamp, jobStatusSchema, pageOf, pagingInput, uuid } from './entities.js';

// Dental cases after the ToothFairy seed (issue 19): scan pairs (upper and lower intra-oral STL),
// a CBCT volume imported through the ordinary import job, folders, text captions with their edit
// history, and a registry of every stored file of a case.

export const DENTAL_STL_ROLES = ['upper', 'lower'] as const;
export const dentalStlRoleSchema = z.enum(DENTAL_STL_ROLES);
export type DentalStlRole = z.infer<typeof dentalStlRoleSchema>;

/** What a caption describes: one part of the case, or the case as a whole. */
export const DENTAL_CAPTION_MODALITIES = ['case', 'upper', 'lower', 'cbct'] as const;
export const dentalCaptionModalitySchema = z.enum(DENTAL_CAPTION_MODALITIES);

export const DENTAL_FILE_TYPES = ['stl', 'cbct', 'audio'] as const;
export const dentalFileTypeSchema = z.enum(DENTAL_FILE_TYPES);
export type DentalFileType = z.infer<typeof dentalFileTypeSchema>;

/** The MIME type each stored file type is served with (the seed's file serving). */
export const DENTAL_MIME_TYPES: Readonly<Record<DentalFileType, string>> = {
  stl: 'model/stl',
  cbct: 'application/octet-stream',
  audio: 'audio/webm',
};

const folderName = z
  .string()
  .trim()
  .min(1, 'A folder needs a name')
  .max(120, 'A folder name has at most 120 characters');
const caseName = z
  .string()
  .trim()
  .min(1, 'A dental case needs a name')
  .max(200, 'A case name has at most 200 characters');
const workstationPath = z.string().min(1, 'Give the path of a file or folder').max(4096);

export const dentalFolderSchema = z.object({
  id: uuid,
  name: z.string(),
  caseCount: z.number().int(),
  createdAt: isoTimestamp,
});
export type DentalFolder = z.infer<typeof dentalFolderSchema>;

export const dentalStlSchema = z.object({
  fileId: uuid,
  role: dentalStlRoleSchema,
  fileName: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  triangleCount: z.number().int(),
  format: z.enum(['ascii', 'binary']),
});
export type DentalStl = z.infer<typeof dentalStlSchema>;

/** The CBCT part: the import job that reads it, and the scan it became once imported. */
export const dentalCbctSchema = z.object({
  jobId: uuid,
  /** The import job's status. */
  status: jobStatusSchema,
  /** The imported volume, to open in the viewer; null until the import has created it. */
  scanId: uuid.nullable(),
});

export const dentalCaseSchema = z.object({
  id: uuid,
  name: z.string(),
  patientId: uuid.nullable(),
  patientName: z.string().nullable(),
  folderId: uuid.nullable(),
  folderName: z.string().nullable(),
  upper: dentalStlSchema.nullable(),
  lower: dentalStlSchema.nullable(),
  cbct: dentalCbctSchema.nullable(),
  createdBy: z.string().nullable(),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
});
export type DentalCase = z.infer<typeof dentalCaseSchema>;

export const dentalCaseCreateInputSchema = z
  .object({
    name: caseName,
    patientId: uuid.optional(),
    folderId: uuid.optional(),
    /** Paths on this workstation (as `import.files` takes them). */
    upperStl: workstationPath.optional(),
    lowerStl: workstationPath.optional(),
    /** A NIfTI file or a DICOM folder, imported as an ordinary import job. */
    cbct: workstationPath.optional(),
  })
  .strict();
export type DentalCaseCreateInput = z.infer<typeof dentalCaseCreateInputSchema>;

export const dentalCaseListInputSchema = z
  .object({
    /** A folder's id, or 'none' for cases in no folder; absent: every case. */
    folderId: z.union([uuid, z.literal('none')]).optional(),
    search: z.string().max(200).optional(),
    ...pagingInput,
  })
  .strict();

export const dentalCasePageSchema = pageOf(dentalCaseSchema);

export const dentalFolderCreateInputSchema = z.object({ name: folderName }).strict();
export const dentalFolderRenameInputSchema = z.object({ id: uuid, name: folderName }).strict();
export const dentalCaseMoveInputSchema = z
  .object({ caseId: uuid, folderId: uuid.nullable() })
  .strict();

export const dentalCaptionVersionSchema = z.object({
  version: z.number().int(),
  text: z.string(),
  author: z.string(),
  at: isoTimestamp,
});

export const dentalCaptionSchema = z.object({
  id: uuid,
  caseId: uuid,
  modality: dentalCaptionModalitySchema,
  text: z.string(),
  author: z.string(),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
  /** Every version, oldest first; the last is the current text. */
  history: z.array(dentalCaptionVersionSchema),
});
export type DentalCaption = z.infer<typeof dentalCaptionSchema>;

const captionText = z
  .string()
  .trim()
  .min(1, 'A caption needs some text')
  .max(10_000, 'A caption has at most 10,000 characters');

export const dentalCaptionAddInputSchema = z
  .object({ caseId: uuid, modality: dentalCaptionModalitySchema, text: captionText })
  .strict();
export const dentalCaptionEditInputSchema = z.object({ id: uuid, text: captionText }).strict();

/** One stored file of a dental case, as the seed's file registry lists it. */
export const dentalRegistryFileSchema = z.object({
  id: uuid,
  type: dentalFileTypeSchema,
  /** upper/lower for STLs, cbct for the volume's files, caption for a voice caption's audio. */
  role: z.enum(['upper', 'lower', 'cbct', 'caption']),
  fileName: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  mimeType: z.string(),
  caseId: uuid,
  caseName: z.string(),
  patientId: uuid.nullable(),
  createdAt: isoTimestamp,
});
export type DentalRegistryFile = z.infer<typeof dentalRegistryFileSchema>;

export const dentalRegistryInputSchema = z
  .object({
    type: dentalFileTypeSchema.optional(),
    caseId: uuid.optional(),
    patientId: uuid.optional(),
    ...pagingInput,
  })
  .strict();
export const dentalRegistryPageSchema = pageOf(dentalRegistryFileSchema);

/** The download's description: what the file is, as the registry lists it. */
export const dentalFileDescriptionSchema = z.object({
  fileName: z.string(),
  mimeType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
});

/**
 * A case from a browser upload (the seed's form): the parts were sent into one upload batch
 * (`uploads.begin`, `uploads.put`) under the folders `upper/` and `lower/` (one STL each) and
 * `cbct/` (one NIfTI file, or the files of a DICOM folder with their relative paths).
 */
export const DENTAL_UPLOAD_FOLDERS = ['upper', 'lower', 'cbct'] as const;
export const dentalCaseFromUploadInputSchema = z
  .object({
    batchId: uuid,
    name: caseName,
    patientId: uuid.optional(),
    folderId: uuid.optional(),
  })
  .strict();

// Voice captions (issue 19): a spoken caption recorded in the app (MediaRecorder, WebM/Opus) or
// uploaded as a WebM file, stored in the file registry (audio/webm), transcribed offline by a
// job (the Moonshine speech model in the inference process) and corrected with a dental and
// radiology vocabulary. The transcript becomes a text caption: editable, with its history.

/** A recording of at most this many bytes (about an hour of Opus speech). */
export const VOICE_CAPTION_MAX_BYTES = 50 * 1024 * 1024;

export const voiceCaptionCorrectionSchema = z.object({
  from: z.string(),
  to: z.string(),
  /** How alike the words and the term were (0–1). */
  likeness: z.number(),
});

export const dentalVoiceCaptionSchema = z.object({
  id: uuid,
  caseId: uuid,
  modality: dentalCaptionModalitySchema,
  /** The recording in the file registry (download with `dental.file`, fileId = this id). */
  fileName: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  mimeType: z.literal('audio/webm'),
  /** The recording's length, known once it is decoded. */
  seconds: z.number().nullable(),
  /** The transcription job (follow it with jobs.get; cancel it with jobs.cancel). */
  jobId: uuid.nullable(),
  status: jobStatusSchema,
  /** 0..1 */
  progress: z.number(),
  /** Why the transcription failed, when it did. */
  error: z.string().nullable(),
  /** What the speech model heard, before the vocabulary's corrections. */
  rawTranscript: z.string().nullable(),
  /** The transcript after the vocabulary's corrections. */
  correctedTranscript: z.string().nullable(),
  corrections: z.array(voiceCaptionCorrectionSchema),
  vocabularyVersion: z.string().nullable(),
  model: z.string().nullable(),
  /** The text caption the transcript became (edit it with dental.captions.edit); null until transcribed. */
  caption: dentalCaptionSchema.nullable(),
  author: z.string(),
  createdAt: isoTimestamp,
});
export type DentalVoiceCaption = z.infer<typeof dentalVoiceCaptionSchema>;

const voiceFileName = z
  .string()
  .trim()
  .min(1, 'The recording needs a file name')
  .max(255, 'A file name has at most 255 characters')
  .refine((name) => !/[\\/]/.test(name), 'A file name cannot contain a folder');

/** The upload stream's parameters: the body is the WebM file. */
export const dentalVoiceCaptionUploadParamsSchema = z
  .object({
    caseId: uuid,
    modality: dentalCaptionModalitySchema.default('case'),
    name: voiceFileName.default('caption.webm'),
  })
  .strict();
