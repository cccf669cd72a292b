import { z } from 'zod';
import { FIRST_RUN_STEP_IDS, type FirstRunStepId } from '../first-run.js';

const stepId = z.enum(FIRST_RUN_STEP_IDS as [FirstRunStepId, ...FirstRunStepId[]]);

/** Where the first-run wizard stands, and what its data-folder step shows. */
export const firstRunStatusSchema = z.object({
  /** False until an administrator finishes the wizard; the app opens it after login until then. */
  isComplete: z.boolean(),
  completedAt: z.string().nullable(),
  completedBy: z.string().nullable(),
  /** The steps skipped when it was finished (they can be done later from Settings). */
  skipped: z.array(z.string()),
  dataDir: z.string(),
  dataDirOrigin: z.enum(['flag', 'environment', 'os-default']),
  /** The administrator created on the setup screen (the first account). */
  adminUsername: z.string().nullable(),
});
export type FirstRunStatus = z.infer<typeof firstRunStatusSchema>;

export const firstRunCompleteInputSchema = z
  .object({
    /** Steps the admin skipped; a required step cannot be. */
    skipped: z.array(stepId).max(FIRST_RUN_STEP_IDS.length),
  })
  .strict();
