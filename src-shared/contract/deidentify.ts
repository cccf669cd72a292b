import { z } from 'zod';
import { uuid } from './entities.js';

/**
 * De-identified export (issue 15, item 4; docs/deidentification.md): a scan's series or a whole
 * study as DICOM files under the PS3.15 Annex E basic profile and the options chosen.
 */

/** Retain Longitudinal Temporal Information: off (basic profile), full dates, or dates shifted. */
export const DEID_DATE_MODES = ['off', 'full', 'offset'] as const;
export type DeidDateMode = (typeof DEID_DATE_MODES)[number];

/** A yes/no param: a boolean over IPC, "true"/"false" in a query string; absent means no. */
const flag = z
  .union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')])
  .default(false);

export const deidentifyParamsSchema = z
  .object({
    /** What to export: one scan (its series) or every DICOM series of a study. */
    kind: z.enum(['scan', 'study']),
    id: uuid,
    dates: z.enum(DEID_DATE_MODES).default('off'),
    retainUids: flag,
    retainPatientCharacteristics: flag,
    /** Add each scan's latest analysis mask as a DICOM SEG, de-identified with the same mapping. */
    includeResults: flag,
    /** The user checked the images that may show text in their pixels and exports them anyway. */
    allowBurnedIn: flag,
  })
  .strict();
export type DeidentifyParams = z.input<typeof deidentifyParamsSchema>;
export type DeidentifyRequest = z.output<typeof deidentifyParamsSchema>;

export const deidentifyDescriptionSchema = z.object({
  fileName: z.string().min(1),
  /** DICOM files in the ZIP. */
  files: z.number().int().nonnegative(),
  /** The pseudonymous Patient ID written (one per source patient; a study has one). */
  pseudonymIds: z.array(z.string()),
  /** Files exported although their pixels may show text (the user confirmed), and why. */
  burnedIn: z.array(z.string()),
  notes: z.array(z.string()),
});
export type DeidentifyDescription = z.infer<typeof deidentifyDescriptionSchema>;
