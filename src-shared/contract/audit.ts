import { z } from 'zod';
import { pageOf, pagingInput } from './entities.js';

// The audit page (issue 15, item 2): the trail filtered, paged, verified and exported as CSV.
// The trail holds no names by design (docs/audit.md): the patient filter takes a record id or
// an MRN and the core turns it into the ids the trail's rows name.

/**
 * Actions that record a refused or failed attempt; every other action is an allowed one. One
 * list, so the page's "Outcome" filter, the CSV's outcome column and the core agree.
 */
export const REFUSED_AUDIT_ACTIONS = [
  'access.refused',
  'auth.login.failed',
  'auth.login.locked',
  'auth.login.throttled',
  'auth.lockout',
  'auth.password.failed',
  'import.refused',
] as const;

export const AUDIT_OUTCOMES = ['allowed', 'refused'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export function auditOutcomeOf(action: string): AuditOutcome {
  return (REFUSED_AUDIT_ACTIONS as readonly string[]).includes(action) ? 'refused' : 'allowed';
}

/** An instant; the page sends the start of a local day and the start of the day after. */
const instant = z.string().datetime({ offset: true, message: 'A date is an ISO 8601 instant' });

/**
 * Which rows to show or export; every field optional (none: the whole trail). Flat strings, so
 * the same object travels as the CSV stream's query string.
 */
export const auditFilterSchema = z
  .object({
    /** A username, exactly as the trail has it. */
    actor: z.string().trim().min(1).max(200).optional(),
    /** A patient's record id, or an MRN (every patient with that MRN). */
    patient: z.string().trim().min(1).max(100).optional(),
    /** An action name, e.g. `scans.read`. */
    action: z.string().trim().min(1).max(100).optional(),
    /** Rows at or after this instant. */
    from: instant.optional(),
    /** Rows before this instant. */
    to: instant.optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional(),
  })
  .strict();
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const auditListInputSchema = auditFilterSchema.extend(pagingInput).strict();

export const auditEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  /** The user who acted (staff, never a patient's name); null for anonymous attempts. */
  actor: z.string().nullable(),
  action: z.string(),
  /** The id the action concerned (a patient, scan, report, job, user…), or null. */
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  outcome: z.enum(AUDIT_OUTCOMES),
});
export type AuditEntryView = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = pageOf(auditEntrySchema);
export type AuditPage = z.infer<typeof auditPageSchema>;

export const auditFilterOptionsSchema = z.object({
  /** Every username that appears in the trail. */
  actors: z.array(z.string()),
  /** Every action that appears in the trail. */
  actions: z.array(z.string()),
});

export const AUDIT_ISSUE_KINDS = [
  'altered',
  'broken-link',
  'missing-rows',
  'truncated',
  'head-missing',
  'head-altered',
  'wrong-key',
] as const;

/** What `neurosphere audit verify` reports: every problem, not just the first. */
export const auditVerificationSchema = z.object({
  ok: z.boolean(),
  rows: z.number().int(),
  legacyRows: z.number().int(),
  issues: z.array(
    z.object({
      /** The row it concerns; null: the log as a whole. */
      seq: z.number().int().nullable(),
      kind: z.enum(AUDIT_ISSUE_KINDS),
      message: z.string(),
    }),
  ),
});
export type AuditVerificationView = z.infer<typeof auditVerificationSchema>;

export const auditCsvDescriptionSchema = z.object({
  fileName: z.string(),
  rows: z.number().int().min(0),
});
