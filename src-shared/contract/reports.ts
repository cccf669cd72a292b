import { z } from 'zod';
import { isoTimestamp, uuid } from './entities.js';

/**
 * Reports: the radiologist's document about one scan (issue 12). A report is written as a draft,
 * signed into a final version that never changes again, and corrected by amendment: a new draft
 * version of the same report that names what it changes. All versions of one scan's report form
 * one chain (version 1, 2, …); each version is its own row with its own id.
 */
export const REPORT_STATUSES = ['draft', 'final'] as const;
export const reportStatusSchema = z.enum(REPORT_STATUSES);
export type ReportStatus = z.infer<typeof reportStatusSchema>;

/** The longest findings or impression text a report keeps (a few pages of prose). */
export const REPORT_TEXT_MAX = 20_000;

const reportText = z
  .string()
  .max(REPORT_TEXT_MAX, `A report text may have at most ${REPORT_TEXT_MAX} characters`);

export const reportSchema = z.object({
  id: uuid,
  scanId: uuid,
  /** Null for a scan imported without a patient (a bare picture). */
  patientId: uuid.nullable(),
  /** 1 for the first version; an amendment is the version it amends + 1. */
  version: z.number().int().min(1),
  status: reportStatusSchema,
  /** The radiologist's findings (prose); a new draft starts from the analysis's findings. */
  findings: z.string(),
  /** The radiologist's conclusion; must not be empty to sign. */
  impression: z.string(),
  /** The analysis whose results the report shows (the scan's latest when the version was made). */
  analysisId: uuid,
  createdBy: z.string().nullable(),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
  /** Who signed it and when; null while a draft. */
  signedBy: z.string().nullable(),
  signedAt: isoTimestamp.nullable(),
  /** The id of the final version this one amends; null for version 1. */
  amends: uuid.nullable(),
  /** What the amendment changes (required for an amendment); null for version 1. */
  changes: z.string().nullable(),
  /** The id of the version that amends this one; null while it is the newest. */
  supersededBy: uuid.nullable(),
});
export type Report = z.infer<typeof reportSchema>;

export const reportCreateInputSchema = z.object({ scanId: uuid }).strict();

export const reportUpdateInputSchema = z
  .object({
    id: uuid,
    findings: reportText.optional(),
    impression: reportText.optional(),
    /** Move the draft to the scan's latest analysis (after a re-analysis); its texts stay. */
    analysis: z.literal('latest').optional(),
  })
  .strict();

export const reportAmendInputSchema = z
  .object({
    id: uuid,
    changes: z
      .string()
      .trim()
      .min(1, 'Say what the amendment changes (e.g. "Corrected the lesion location")')
      .max(2000),
  })
  .strict();

/**
 * Per patient, the Brain Tumor Detection seed's report statistics (`scan_count`, `tumor_count`,
 * `no_tumor_count`): each scan counts by its latest analysis, and only results that say something
 * about the patient (not an input the model refused, nor one it was forced to read) count as with
 * or without tumour; the rest are not assessed.
 */
export const patientReportStatsSchema = z.object({
  patientId: uuid,
  scans: z.number().int(),
  withTumour: z.number().int(),
  withoutTumour: z.number().int(),
  /** Scans never analysed, or whose latest analysis says nothing about the patient. */
  notAssessed: z.number().int(),
  /** Report versions of the patient's scans, drafts included. */
  reports: z.number().int(),
  signedReports: z.number().int(),
});
export type PatientReportStats = z.infer<typeof patientReportStatsSchema>;

/** Largest clinic logo kept (PNG or JPEG). */
export const CLINIC_LOGO_MAX_BYTES = 512 * 1024;

/** The clinic's letterhead on every report. Empty name: the header says "Neurosphere". */
export const clinicSettingsSchema = z.object({
  name: z.string().max(200),
  address: z.string().max(1000),
  /** PNG or JPEG bytes as base64; null for no logo. */
  logoBase64: z.string().nullable(),
});
export type ClinicSettings = z.infer<typeof clinicSettingsSchema>;

export const clinicSettingsUpdateSchema = z
  .object({
    name: z.string().trim().max(200).optional(),
    address: z.string().trim().max(1000).optional(),
    logoBase64: z
      .string()
      .max(Math.ceil((CLINIC_LOGO_MAX_BYTES * 4) / 3) + 4, 'The logo may be at most 512 KB')
      .nullable()
      .optional(),
  })
  .strict();

/** What the report PDF download says about itself (IPC carries no Content-Disposition). */
export const reportPdfDescriptionSchema = z.object({
  fileName: z.string().min(1),
  status: reportStatusSchema,
  version: z.number().int().min(1),
});
export type ReportPdfDescription = z.infer<typeof reportPdfDescriptionSchema>;
