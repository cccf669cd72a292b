import { z } from 'zod';

// Outbox sync to PACS destinations (issue 17 item 2; docs/sync.md).

export const SYNC_ITEM_KINDS = ['original', 'segmentation', 'report', 'record', 'audit'] as const;
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
  /** A PACS, or a Neurosphere hub receiving records (docs/hub-sync.md); absent: a PACS. */
  kind: z.enum(['pacs', 'neurosphere']).optional(),
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

// Record sync to a Neurosphere hub (docs/hub-sync.md): the workstation's destination settings,
// and what the hub accepts and answers.

export const HUB_OUTCOMES = ['applied', 'duplicate', 'conflict'] as const;

const workstationName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'A workstation name: letters, digits, dot, dash, underscore');

/** A remote Neurosphere (another `neurosphere serve`) that receives this workstation's records. */
export const hubDestinationSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'An id of lower-case letters, digits and dashes'),
    name: z.string().trim().min(1).max(100),
    /** The hub's address, e.g. https://hub.clinic.local:8443 */
    url: z
      .string()
      .url('The hub address, e.g. https://hub.clinic.local:8443')
      .refine((u) => /^https?:\/\//.test(u), 'Use an http:// or https:// address'),
    /** This workstation's name at the hub: the origin its records keep there. */
    workstation: workstationName,
    /** The hub account the workstation signs in as (role "workstation"). */
    username: z.string().min(2).max(64),
    /** A pinned CA (PEM) for an https hub; null: the system's CAs. */
    caPem: z.string().max(20_000).nullable(),
  })
  .strict();
export type HubDestination = z.infer<typeof hubDestinationSchema>;

export const hubSaveInputSchema = hubDestinationSchema.extend({
  /** The account's password, kept in the OS keychain; omitted: the stored one is kept. */
  password: z.string().min(1).max(1024).optional(),
});

export const hubTestResultSchema = z.object({
  ok: z.boolean(),
  /** The hub's Neurosphere version, when it answered. */
  version: z.string().nullable(),
  message: z.string(),
});

/** One version of one clinical record, as a workstation sends it (an outbox entry). */
export const hubRecordSchema = z
  .object({
    entity: z.string().regex(/^[a-z_]{1,40}$/),
    id: z.string().min(1).max(200),
    op: z.enum(['create', 'update', 'delete']),
    /** The workstation's change number (its outbox id): increases with every change there. */
    version: z.number().int().min(1),
    /** When the workstation made the change. */
    changedAt: z.string().min(1).max(40),
    /** The record as written there, as JSON text (hashed as sent). */
    payloadJson: z.string().max(2_000_000),
    /** SHA-256 of the payload of the workstation's previous change of this record; null: first. */
    baseHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
  })
  .strict();
export type HubRecord = z.infer<typeof hubRecordSchema>;

export const hubAuditRowSchema = z
  .object({
    seq: z.number().int().min(1),
    at: z.string(),
    actor: z.string().nullable(),
    action: z.string().min(1),
    target: z.string().nullable(),
    details: z.string(),
    hash: z.string(),
  })
  .strict();
export type HubAuditRow = z.infer<typeof hubAuditRowSchema>;

export const hubReceiveInputSchema = z
  .object({
    origin: workstationName,
    records: z.array(hubRecordSchema).max(1_000),
    audit: z.array(hubAuditRowSchema).max(5_000),
  })
  .strict();

export const hubReceiveOutputSchema = z.object({
  records: z.array(
    z.object({
      entity: z.string(),
      id: z.string(),
      version: z.number().int(),
      outcome: z.enum(HUB_OUTCOMES),
      /** The workstation whose version the hub now shows for this record. */
      current: z.string(),
    }),
  ),
  audit: z.object({ stored: z.number().int(), duplicate: z.number().int() }),
});
export type HubReceiveOutput = z.infer<typeof hubReceiveOutputSchema>;

export const hubRecordsInputSchema = z
  .object({
    conflictsOnly: z.boolean().default(false),
    entity: z.string().optional(),
    recordId: z.string().optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();

export const hubRecordViewSchema = z.object({
  entity: z.string(),
  id: z.string(),
  conflict: z.boolean(),
  /** The version the hub shows (the winner under the conflict policy). */
  current: z.object({
    origin: z.string(),
    version: z.number().int(),
    op: z.string(),
    changedAt: z.string(),
    payload: z.unknown(),
  }),
  /** Every version received, oldest first, with the answer each got. */
  versions: z.array(
    z.object({
      origin: z.string(),
      version: z.number().int(),
      op: z.string(),
      changedAt: z.string(),
      outcome: z.enum(HUB_OUTCOMES),
      payloadHash: z.string(),
    }),
  ),
});
export type HubRecordView = z.infer<typeof hubRecordViewSchema>;
