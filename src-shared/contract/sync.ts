import { z } from 'zod';

// Outbox sync to PACS destinations (issue 17 item 2; docs/sync.md).

export const SYNC_ITEM_KINDS = ['original', 'segmentation', 'report'] as const;
export const SYNC_ITEM_STATES = ['pending', 'sending', 'sent', 'failed', 'skipped'] as const;

/** What one PACS destination (an entry of `dicom.destinations`) receives from the outbox. */
export const syncDestinationConfigSchema = z
  .object({
    destinationId: z.string().regex(/^[a-z0-9-]{1,40}$/, 'A destination id as in Settings → DICOM'),
    /** The original DICOM instances of every imported or received scan. */
    originals: z.boolean(),
    /** Each analysis with a mask, as a DICOM Segmentation. */
    segmentations: z.boolean(),
    /** Each signed report version, as an Encapsulated PDF. */
    reports: z.boolean(),
    /** Send originals and SEGs de-identified (PS3.15 basic profile); reports are then not sent. */
    deidentify: z.boolean(),
  })
  .strict();
export type SyncDestinationConfig = z.infer<typeof syncDestinationConfigSchema>;

export const syncConfigureInputSchema = z
  .object({
    /** The destinations that sync; one missing from the list stops syncing (its items are kept). */
    destinations: z.array(syncDestinationConfigSchema).max(20).optional(),
    /** Upper bound of the send rate in KiB/s, averaged per batch; null: no limit. */
    bandwidthKiBps: z.number().int().min(1).max(10_000_000).nullable().optional(),
  })
  .strict();

const countsSchema = z.object({
  pending: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
});

export const syncDestinationStatusSchema = syncDestinationConfigSchema.extend({
  name: z.string(),
  /** Whether the last try reached the PACS; null before any try since start. */
  online: z.boolean().nullable(),
  counts: countsSchema,
  lastSuccessAt: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** When the next item is due (a backoff wait), or null. */
  nextAttemptAt: z.string().nullable(),
  /** Paused on its own (`sync.pauseDestination`); the others keep syncing. */
  paused: z.boolean(),
});

export const syncStatusSchema = z.object({
  paused: z.boolean(),
  /** A pass is sending now. */
  running: z.boolean(),
  bandwidthKiBps: z.number().int().nullable(),
  destinations: z.array(syncDestinationStatusSchema),
  counts: countsSchema,
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const syncItemSchema = z.object({
  id: z.number().int(),
  destinationId: z.string(),
  kind: z.enum(SYNC_ITEM_KINDS),
  /** The file, analysis or report it sends. */
  sourceId: z.string(),
  label: z.string(),
  sopInstanceUid: z.string().nullable(),
  state: z.enum(SYNC_ITEM_STATES),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type SyncItem = z.infer<typeof syncItemSchema>;

export const syncItemsInputSchema = z
  .object({
    destinationId: z.string().min(1).optional(),
    state: z.enum(SYNC_ITEM_STATES).optional(),
    limit: z.number().int().min(1).max(500).default(100),
    /** Items with an id below this one (the next page, newest first). */
    before: z.number().int().optional(),
  })
  .strict();

export const syncRetryInputSchema = z
  .object({
    /** One item; without it every failed item (of `destinationId`, if given) is retried. */
    itemId: z.number().int().optional(),
    destinationId: z.string().min(1).optional(),
  })
  .strict();

export const syncPauseDestinationInputSchema = z
  .object({ destinationId: z.string().min(1), paused: z.boolean() })
  .strict();
