import { z } from 'zod';
import { analysisSchema } from './analysis.js';
import {
  isoDate,
  pageOf,
  pagingInput,
  roleSchema,
  scanSchema,
  scanStatusSchema,
  uuid,
} from './entities.js';
import { reportSchema, reportStatusSchema } from './reports.js';

/**
 * Lists that programs page through (the REST API's seeds): one call answers a page with what each
 * row needs, so a client never asks once per row.
 */

/** The filters, order and paging of a scan list (`scans.list`, `scans.listWithAnalyses`). */
export const scanListInputSchema = z
  .object({
    status: scanStatusSchema.optional(),
    patientId: uuid.optional(),
    search: z.string().max(200).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    sort: z.enum(['createdAt', 'acquiredAt', 'patientName', 'modality']).default('createdAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    ...pagingInput,
  })
  .strict();

/** A scan with its newest analysis (null until it has one). */
export const scanWithAnalysisSchema = z.object({
  scan: scanSchema,
  analysis: analysisSchema.nullable(),
});
export type ScanWithAnalysis = z.infer<typeof scanWithAnalysisSchema>;

export const scanWithAnalysisPageSchema = pageOf(scanWithAnalysisSchema);

/** Every report of the workstation, newest first (the Brain Tumor Detection seed's admin list). */
export const reportListInputSchema = z
  .object({
    status: reportStatusSchema.optional(),
    patientId: uuid.optional(),
    /** 'current' (default): only the newest version of each report; 'all': every version. */
    versions: z.enum(['current', 'all']).default('current'),
    ...pagingInput,
  })
  .strict();

export const reportPageSchema = pageOf(reportSchema);

/** Filters of the account list (the doctor/patient seed's `GET /users/`). */
export const userListInputSchema = z
  .object({
    role: roleSchema.optional(),
    /** true: only enabled accounts; false: only disabled ones. */
    active: z.boolean().optional(),
    /** Accounts to skip (ordered by username). */
    offset: z.number().int().min(0).max(1_000_000).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();
