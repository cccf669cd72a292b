import { z } from 'zod';
import { chestXrayQualityNoteSchema } from './analysis.js';
import {
  isoTimestamp,
  jobPrioritySchema,
  jobStatusSchema,
  readingKindSchema,
  uuid,
} from './entities.js';

/** Friendly (patient) text: from the versioned templates in src-shared/clinical/xray-friendly.ts. */
export const friendlyReadingSchema = z.object({
  templateVersion: z.string(),
  template: z.enum(['pneumonia', 'normal', 'not-read']),
  headline: z.string(),
  whatItMeans: z.array(z.string()),
  whatItDoesNotMean: z.array(z.string()),
  aboutTheImage: z.array(z.string()),
  nextStep: z.string(),
});
export type FriendlyReading = z.infer<typeof friendlyReadingSchema>;

/** The expert reading: the model's figures, the heatmap, the radiologist's notes, the priority. */
export const expertReadingSchema = z.object({
  /** 'chest-xray' when the chest model read it; otherwise what the analysis was. */
  findingsKind: z.string(),
  label: z.string().nullable(),
  probabilities: z.object({ normal: z.number(), pneumonia: z.number() }).nullable(),
  threshold: z.number().nullable(),
  statement: z.string(),
  qualityNotes: z.array(chestXrayQualityNoteSchema),
  /** The class activation heatmap: stream `analysis.image` with kind 'heatmap'. */
  hasHeatmap: z.boolean(),
  pipeline: z.string(),
  model: z.string().nullable(),
  warnings: z.array(z.string()),
  notes: z.string(),
  priority: jobPrioritySchema,
});
export type ExpertReading = z.infer<typeof expertReadingSchema>;

export const treatmentSuggestionSchema = z.object({
  /** The table entry's id (src-shared/clinical/xray-suggestions.ts). */
  id: z.string(),
  condition: z.string(),
  /** The model's calibrated probability of the finding the entry is keyed on (0..1). */
  confidence: z.number().min(0).max(1),
  treatment: z.string(),
  precautions: z.string(),
  source: z.object({
    publisher: z.string(),
    title: z.string(),
    reference: z.string(),
    url: z.string(),
  }),
});

/** Suggestions from the table, never generated text, always with the disclaimer. */
export const treatmentSuggestionsSchema = z.object({
  suggestions: z.array(treatmentSuggestionSchema),
  disclaimer: z.string(),
  tableVersion: z.string(),
  /** Why the list is empty, when it is (e.g. the chest model did not read the image). */
  note: z.string().nullable(),
});
export type TreatmentSuggestions = z.infer<typeof treatmentSuggestionsSchema>;

export const readingSchema = z.object({
  /** Also the id of the job that produces it (the seed's task id). */
  id: uuid,
  scanId: uuid,
  kind: readingKindSchema,
  priority: jobPrioritySchema,
  includeSuggestions: z.boolean(),
  requestedBy: z.string().nullable(),
  createdAt: isoTimestamp,
  status: jobStatusSchema,
  progress: z.number().min(0).max(1),
  /** Why it failed, when it did. */
  error: z.string().nullable(),
  analysisId: uuid.nullable(),
  /** Null until the analysis is done. */
  friendly: friendlyReadingSchema.nullable(),
  /** Null until done, and for a patient's account (figures a patient could misread). */
  expert: expertReadingSchema.nullable(),
  /** Null unless asked for, done, and the caller's role may see suggestions. */
  suggestions: treatmentSuggestionsSchema.nullable(),
});
export type Reading = z.infer<typeof readingSchema>;

export const readingsListInputSchema = z.object({ scanId: uuid }).strict();

export const suggestTreatmentInputSchema = z
  .object({
    /** The reading (= its task id). */
    id: uuid,
    symptoms: z.string().max(2000).optional(),
    /** Chooses the adult or the child entries; without it both are given. */
    patientAge: z.number().int().min(0).max(130).optional(),
    patientGender: z.string().max(32).optional(),
  })
  .strict();

/** What `readings.request` answers: the queued reading and the seed's rough estimate. */
export const readingRequestedSchema = z.object({
  reading: readingSchema,
  /** E.g. "30 seconds", from the work waiting before it. */
  estimatedTime: z.string(),
});
