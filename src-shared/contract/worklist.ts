import { z } from 'zod';
import {
  isoDate,
  isoTimestamp,
  pageOf,
  pagingInput,
  SCAN_FORMATS,
  SCAN_KINDS,
  scanStatusSchema,
  uuid,
} from './entities.js';

/** The worklist's result filter: what the latest analysis of a series says. */
export const WORKLIST_RESULTS = ['tumour', 'no-tumour', 'not-analysed', 'not-applicable'] as const;
export const worklistResultSchema = z.enum(WORKLIST_RESULTS);
export type WorklistResult = z.infer<typeof worklistResultSchema>;

/**
 * The AI finding of one series, from its latest analysis. 'not-applicable' covers a refused input
 * and a run forced on one (its lesions are not a finding about the patient).
 */
export const worklistFindingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('not-analysed') }),
  z.object({
    kind: z.literal('not-applicable'),
    /** In clinical words: what the model reads and what this series is. */
    reason: z.string(),
    /** A user ran the model anyway; the result carries a warning and is not counted. */
    forced: z.boolean(),
  }),
  z.object({ kind: z.literal('no-tumour') }),
  z.object({
    kind: z.literal('tumour'),
    lesionCount: z.number().int(),
    /** The largest lesion's volume in mL; null for a 2D picture (no volume). */
    largestVolumeMl: z.number().nullable(),
  }),
]);
export type WorklistFinding = z.infer<typeof worklistFindingSchema>;

/** The worklist's report filter: the state of a series' newest report version. */
export const WORKLIST_REPORT_STATES = ['none', 'draft', 'signed'] as const;
export const worklistReportStateSchema = z.enum(WORKLIST_REPORT_STATES);
export type WorklistReportState = z.infer<typeof worklistReportStateSchema>;

/**
 * The report of one series, from its newest version: none, a draft (version 2 and up are
 * amendments of a signed version) or signed (final).
 */
export const worklistReportSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('none') }),
  z.object({ state: z.literal('draft'), reportId: uuid, version: z.number().int().min(1) }),
  z.object({
    state: z.literal('signed'),
    reportId: uuid,
    version: z.number().int().min(1),
    /** The signer's user name; null when no user was recorded. */
    signedBy: z.string().nullable(),
    signedAt: isoTimestamp,
  }),
]);
export type WorklistReport = z.infer<typeof worklistReportSchema>;

/** One series (an analysable scan) of a worklist study. */
export const worklistSeriesSchema = z.object({
  scanId: uuid,
  seriesNumber: z.number().int().nullable(),
  description: z.string().nullable(),
  /** DICOM modality; null for PNG/JPEG and NIfTI (the format says what it is). */
  modality: z.string().nullable(),
  format: z.enum(SCAN_FORMATS),
  kind: z.enum(SCAN_KINDS),
  status: scanStatusSchema,
  rows: z.number().int().nullable(),
  columns: z.number().int().nullable(),
  slices: z.number().int(),
  spacing: z.tuple([z.number(), z.number(), z.number().nullable()]).nullable(),
  acquiredAt: isoDate.nullable(),
  /** When this series was imported (date and time: tells two series of one day apart). */
  importedAt: isoTimestamp,
  finding: worklistFindingSchema,
  report: worklistReportSchema,
});
export type WorklistSeries = z.infer<typeof worklistSeriesSchema>;

/**
 * One study with the series that match the filters. Pictures and NIfTI volumes imported without
 * a DICOM study are a study of their own (`studyId` null, `key` = the scan id).
 */
export const worklistStudySchema = z.object({
  key: z.string(),
  studyId: uuid.nullable(),
  patientId: uuid.nullable(),
  patientName: z.string().nullable(),
  patientMrn: z.string().nullable(),
  studyDate: isoDate.nullable(),
  description: z.string().nullable(),
  accessionNumber: z.string().nullable(),
  /** When the study's latest series was imported. */
  importedAt: isoTimestamp,
  /** Every series of the study, whether or not it matches the filters. */
  seriesTotal: z.number().int(),
  /**
   * Of every series of the study (`seriesTotal`, filters aside), how many have a signed report
   * and how many a draft (newest version); the rest have none.
   */
  reports: z.object({ signed: z.number().int(), draft: z.number().int() }),
  /** The series that match the filters, by series number. */
  series: z.array(worklistSeriesSchema),
});
export type WorklistStudy = z.infer<typeof worklistStudySchema>;

export const WORKLIST_SORTS = ['createdAt', 'acquiredAt', 'patientName', 'modality'] as const;

export const worklistListInputSchema = z
  .object({
    /** Words, each of which must appear in a patient name or ID, a description, the modality or the accession number. */
    search: z.string().max(200).optional(),
    /** 'PNG', 'JPEG', 'NIFTI' for files without a DICOM modality. */
    modality: z.string().max(16).optional(),
    result: worklistResultSchema.optional(),
    /** The state of the newest report version of a series. */
    report: worklistReportStateSchema.optional(),
    status: scanStatusSchema.optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    sort: z.enum(WORKLIST_SORTS).default('createdAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    ...pagingInput,
  })
  .strict();
export type WorklistListInput = z.infer<typeof worklistListInputSchema>;

export const worklistPageSchema = pageOf(worklistStudySchema).extend({
  /** Every modality in the store, for the modality filter. */
  modalities: z.array(z.string()),
});
export type WorklistPage = z.infer<typeof worklistPageSchema>;

/** A scan named for people: which series of which patient (job lists, import summaries). */
export const scanLabelSchema = z.object({
  scanId: uuid,
  seriesNumber: z.number().int().nullable(),
  description: z.string().nullable(),
  modality: z.string().nullable(),
  studyDescription: z.string().nullable(),
  patientName: z.string().nullable(),
  patientMrn: z.string().nullable(),
  slices: z.number().int(),
});
export type ScanLabel = z.infer<typeof scanLabelSchema>;

export const scanLabelsInputSchema = z.object({ ids: z.array(uuid).max(200) }).strict();
