import { z } from 'zod';

// The DICOM node (issue 17): this workstation's own listener, the PACS it queries and sends to,
// and what a query returns. Stored as settings (keys dicom.node and dicom.destinations).

/** An AE title: 1-16 characters of the default repertoire, no backslash (PS3.5 6.2, AE). */
export const aeTitleSchema = z
  .string()
  .trim()
  .min(1, 'An AE title needs at least one character')
  .max(16, 'An AE title has at most 16 characters')
  .regex(
    /^[\x20-\x5b\x5d-\x7e]+$/,
    'An AE title uses plain ASCII letters, digits and signs, no backslash',
  );

const portSchema = z
  .number()
  .int()
  .min(1, 'A port is a number from 1 to 65535')
  .max(65535, 'A port is a number from 1 to 65535');

const hostSchema = z
  .string()
  .trim()
  .min(1, 'A host needs a name or an IP address')
  .max(253)
  .regex(/^[A-Za-z0-9.:_-]+$/, 'A host is a name or an IP address');

/** This workstation as a DICOM node: the Storage SCP that modalities and the PACS send to. */
export const dicomNodeSettingsSchema = z
  .object({
    /** Listen when `serve` or the desktop app runs. */
    enabled: z.boolean(),
    aeTitle: aeTitleSchema,
    port: portSchema,
    /** Interface to listen on: 0.0.0.0 for every one, 127.0.0.1 for this machine only. */
    bindAddress: hostSchema,
    /** Calling AE titles allowed to send; empty: any. */
    allowedCallers: z.array(aeTitleSchema).max(200),
    /** Sender IP addresses allowed; empty: any. */
    allowedHosts: z.array(hostSchema).max(200),
  })
  .strict();
export type DicomNodeSettings = z.infer<typeof dicomNodeSettingsSchema>;

export const DEFAULT_DICOM_NODE_SETTINGS: DicomNodeSettings = {
  enabled: false,
  aeTitle: 'NEUROSPHERE',
  port: 11112,
  bindAddress: '0.0.0.0',
  allowedCallers: [],
  allowedHosts: [],
};

// ---- DICOMweb (QIDO-RS, WADO-RS, STOW-RS) of a PACS destination: docs/dicomweb.md ----

/** A PEM certificate (or several): the CA the destination's HTTPS certificate must chain to. */
const pemSchema = z
  .string()
  .trim()
  .max(64_000, 'A pinned CA is at most 64 KB of PEM')
  .regex(
    /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/,
    'A pinned CA is a PEM certificate: "-----BEGIN CERTIFICATE-----" … "-----END CERTIFICATE-----"',
  );

/**
 * A DICOMweb endpoint. The password or token is never here (settings are plain JSON in the
 * database): it is kept in the OS keychain, `dicomweb.secret.set`.
 */
export const dicomWebEndpointSchema = z
  .object({
    /** The service root, e.g. https://pacs.example.org/dicom-web (QIDO/WADO/STOW below it). */
    url: z
      .string()
      .trim()
      .max(2000)
      .url('A DICOMweb URL is a full address such as https://pacs.example.org/dicom-web')
      .regex(/^https?:\/\//i, 'A DICOMweb URL starts with http:// or https://'),
    auth: z.enum(['none', 'basic', 'bearer']),
    /** The user name of basic authentication. */
    username: z.string().trim().max(200).optional(),
    /** Pinned CA for an https URL: only a certificate chaining to it is accepted. */
    caPem: pemSchema.nullable().optional(),
  })
  .strict()
  .refine((e) => e.auth !== 'basic' || (e.username ?? '') !== '', {
    message: 'Basic authentication needs a user name',
    path: ['username'],
  })
  .refine((e) => e.caPem === undefined || e.caPem === null || /^https:/i.test(e.url), {
    message: 'A pinned CA applies to an https:// URL only',
    path: ['caPem'],
  });
export type DicomWebEndpoint = z.infer<typeof dicomWebEndpointSchema>;

/** How a destination is reached: DIMSE (C-FIND/C-MOVE/C-STORE) or DICOMweb (QIDO/WADO/STOW). */
export const DICOM_SOURCES = ['dimse', 'dicomweb'] as const;
export type DicomSource = (typeof DICOM_SOURCES)[number];

/**
 * A PACS (or another DICOM node) the workstation queries, pulls from and sends to: a DIMSE peer
 * (AE title, host, port), a DICOMweb endpoint, or both. AE title, host and port go together and
 * are required unless a DICOMweb URL is given (a DICOMweb-only destination, docs/dicomweb.md).
 * Entries stored before DICOMweb-only destinations existed always have all three.
 */
export const dicomDestinationSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'An id uses lower-case letters, digits and "-"'),
    name: z.string().trim().min(1, 'A destination needs a name').max(100),
    aeTitle: aeTitleSchema.optional(),
    host: hostSchema.optional(),
    port: portSchema.optional(),
    /** Its DICOMweb endpoint (issue 17, docs/dicomweb.md), if any: then sync sends by STOW-RS. */
    dicomweb: dicomWebEndpointSchema.optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    const dimse = { aeTitle: d.aeTitle, host: d.host, port: d.port };
    const given = Object.values(dimse).filter((v) => v !== undefined).length;
    if (given === 3) return;
    const message =
      given === 0
        ? d.dicomweb === undefined
          ? 'needed: give the AE title, host and port of the PACS (DIMSE), or a DICOMweb URL'
          : null
        : 'needed with the rest of DIMSE: give the AE title, host and port together, or none of them and a DICOMweb URL';
    if (message === null) return;
    for (const [key, value] of Object.entries(dimse))
      if (value === undefined)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [key],
          message: `${key === 'aeTitle' ? 'AE title' : key === 'host' ? 'Host' : 'Port'} ${message}`,
        });
  });
/** Whether a destination is a DIMSE peer (AE title, host and port all given). */
export function hasDimse(
  d: Pick<DicomDestination, 'aeTitle' | 'host' | 'port'>,
): d is { aeTitle: string; host: string; port: number } {
  return d.aeTitle !== undefined && d.host !== undefined && d.port !== undefined;
}
/** The ways a destination can be queried: DIMSE first when both exist. */
export function sourcesOf(d: DicomDestination): DicomSource[] {
  return [
    ...(hasDimse(d) ? (['dimse'] as const) : []),
    ...(d.dicomweb ? (['dicomweb'] as const) : []),
  ];
}
export type DicomDestination = z.infer<typeof dicomDestinationSchema>;

export const dicomNodeStatusSchema = z.object({
  listening: z.boolean(),
  /** The port listened on, or null. */
  port: z.number().int().nullable(),
  /** Why the listener is not running though enabled (e.g. the port is taken), or null. */
  error: z.string().nullable(),
  received: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  lastReceivedAt: z.string().nullable(),
});
export type DicomNodeStatus = z.infer<typeof dicomNodeStatusSchema>;

export const studyQuerySchema = z
  .object({
    destinationId: z.string().min(1),
    /** DIMSE (C-FIND) or DICOMweb (QIDO-RS); absent: DIMSE where configured, else DICOMweb. */
    source: z.enum(DICOM_SOURCES).optional(),
    patientId: z.string().trim().max(64).optional(),
    patientName: z.string().trim().max(64).optional(),
    /** YYYYMMDD or YYYYMMDD-YYYYMMDD. */
    studyDate: z
      .string()
      .trim()
      .regex(/^(\d{8})?(-(\d{8})?)?$/, 'A study date is YYYYMMDD or a range YYYYMMDD-YYYYMMDD')
      .optional(),
    accessionNumber: z.string().trim().max(16).optional(),
    /** One modality, e.g. CT or MR (matched against Modalities in Study). */
    modality: z
      .string()
      .trim()
      .regex(/^[A-Z0-9]{0,16}$/, 'A modality is a code in capitals, e.g. CT or MR')
      .optional(),
  })
  .strict();

export const studyMatchSchema = z.object({
  studyInstanceUid: z.string(),
  patientId: z.string().nullable(),
  patientName: z.string().nullable(),
  studyDate: z.string().nullable(),
  studyDescription: z.string().nullable(),
  accessionNumber: z.string().nullable(),
  modalities: z.array(z.string()),
  instances: z.number().int().nullable(),
  /** Whether this study is already stored here. */
  isLocal: z.boolean(),
});
export type StudyMatchEntry = z.infer<typeof studyMatchSchema>;

export const retrieveResultSchema = z.object({
  completed: z.number().int(),
  failed: z.number().int(),
  warnings: z.number().int(),
  /** The scans of the study here after the retrieve. */
  scanIds: z.array(z.string()),
});

/** QIDO-RS: which level, and the attribute filters (DICOM keywords or tags, as QIDO takes them). */
export const dicomWebSearchSchema = z
  .object({
    destinationId: z.string().min(1),
    level: z.enum(['studies', 'series', 'instances']),
    studyInstanceUid: z.string().max(64).optional(),
    seriesInstanceUid: z.string().max(64).optional(),
    patientId: z.string().trim().max(64).optional(),
    patientName: z.string().trim().max(64).optional(),
    studyDate: z
      .string()
      .trim()
      .regex(/^(\d{8})?(-(\d{8})?)?$/, 'A study date is YYYYMMDD or a range YYYYMMDD-YYYYMMDD')
      .optional(),
    /** Studies: matched against Modalities in Study; series: the series' modality. */
    modality: z
      .string()
      .trim()
      .regex(/^[A-Z0-9]{0,16}$/, 'A modality is a code in capitals, e.g. CT or MR')
      .optional(),
    accessionNumber: z.string().trim().max(16).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();
export type DicomWebSearch = z.infer<typeof dicomWebSearchSchema>;

export const dicomWebMatchSchema = z.object({
  studyInstanceUid: z.string().nullable(),
  seriesInstanceUid: z.string().nullable(),
  sopInstanceUid: z.string().nullable(),
  patientId: z.string().nullable(),
  patientName: z.string().nullable(),
  studyDate: z.string().nullable(),
  description: z.string().nullable(),
  modality: z.string().nullable(),
  accessionNumber: z.string().nullable(),
  seriesNumber: z.number().nullable(),
  /** Instances below it, where the server says (studies and series). */
  instances: z.number().int().nullable(),
});
export type DicomWebMatch = z.infer<typeof dicomWebMatchSchema>;

export const dicomWebRetrieveSchema = z
  .object({
    destinationId: z.string().min(1),
    studyInstanceUid: z.string().min(1).max(64),
    /** One series only; absent: the whole study (series by series). */
    seriesInstanceUid: z.string().min(1).max(64).optional(),
  })
  .strict();

export const dicomWebRetrieveResultSchema = z.object({
  received: z.number().int(),
  imported: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  scanIds: z.array(z.string()),
});
export type DicomWebRetrieveResult = z.infer<typeof dicomWebRetrieveResultSchema>;

export const dicomWebSecretInputSchema = z
  .object({
    destinationId: z.string().min(1),
    /** The password (basic) or token (bearer); empty removes it. */
    secret: z.string().max(8192),
  })
  .strict();

export const dicomWebSecretStateSchema = z.object({ stored: z.boolean() });

// Query/retrieve screen (#/query): series of a study, and retrieves that run in the background
// with progress and cancel.

export const seriesQuerySchema = z
  .object({
    destinationId: z.string().min(1),
    studyInstanceUid: z.string().min(1).max(64),
    source: z.enum(DICOM_SOURCES).optional(),
  })
  .strict();

export const seriesMatchSchema = z.object({
  seriesInstanceUid: z.string(),
  seriesNumber: z.number().nullable(),
  modality: z.string().nullable(),
  seriesDescription: z.string().nullable(),
  instances: z.number().int().nullable(),
  /** Whether this series is stored here (as a scan). */
  isLocal: z.boolean(),
});
export type SeriesMatchEntry = z.infer<typeof seriesMatchSchema>;

export const retrieveStartInputSchema = z
  .object({
    destinationId: z.string().min(1),
    /** C-MOVE to our listener (DIMSE) or WADO-RS (DICOMweb); absent: as for a query. */
    source: z.enum(DICOM_SOURCES).optional(),
    studyInstanceUid: z.string().min(1).max(64),
    /** Only this series; without it the whole study. */
    seriesInstanceUid: z.string().min(1).max(64).optional(),
    /** What the screen shows for it (patient, date, description). */
    label: z.string().trim().max(200).optional(),
    /** Instances the query announced, shown until the PACS reports its own count. */
    expected: z.number().int().min(0).nullable().optional(),
  })
  .strict();

export const RETRIEVE_STATES = ['running', 'done', 'failed', 'cancelled'] as const;

export const retrieveTaskSchema = z.object({
  id: z.string(),
  destinationId: z.string(),
  /** How it is pulled: C-MOVE (dimse) or WADO-RS (dicomweb). */
  source: z.enum(DICOM_SOURCES),
  studyInstanceUid: z.string(),
  seriesInstanceUid: z.string().nullable(),
  label: z.string(),
  state: z.enum(RETRIEVE_STATES),
  /** Instances our listener has received for it so far (stored or already here). */
  received: z.number().int(),
  /** Instances to come, as the PACS (or the query) counts them; null when unknown. */
  expected: z.number().int().nullable(),
  completed: z.number().int(),
  failed: z.number().int(),
  warnings: z.number().int(),
  /** Why it failed, or what went partly wrong; null when all is well. */
  error: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** The scans of the study here once done. */
  scanIds: z.array(z.string()),
});
export type RetrieveTask = z.infer<typeof retrieveTaskSchema>;
