import { z } from 'zod';
import { ANALYSIS_IMAGE_KINDS } from './analysis.js';
import { auditCsvDescriptionSchema, auditFilterSchema } from './audit.js';
import { scanIdSchema } from '../ids.js';
import { uuid } from './entities.js';
import {
  dentalFileDescriptionSchema,
  dentalVoiceCaptionSchema,
  dentalVoiceCaptionUploadParamsSchema,
} from './dental.js';
import { exportDescriptionSchema } from './exports.js';
import { deidentifyDescriptionSchema, deidentifyParamsSchema } from './deidentify.js';
import { frameInfoSchema } from './frames.js';
import { labelBoxInfoSchema, labelSourceSchema, labelVolumeInfoSchema } from './labels.js';
import { measurementsCsvDescriptionSchema } from './measurements.js';
import { reportDicomDescriptionSchema } from './report-dicom.js';
import { reportPdfDescriptionSchema } from './reports.js';
import type { Access } from './methods.js';
import { uploadedFileSchema } from './uploads.js';
import { attachmentMeshDescriptionSchema } from './viewer3d.js';
import { visualizationHtmlDescriptionSchema } from './visualizations.js';

/**
 * Binary calls: the contract's second table, beside `methods`. A stream carries bytes the JSON
 * router cannot (decoded frames, label volumes, pictures, uploaded files) but goes through the
 * same router checks (`router.stream`). Every shell serves every entry of this table through one
 * route (HTTP `/api/stream/<name>?<params>`, IPC `neurosphere:stream`), so a new download is one
 * entry here and one handler in the core.
 *
 * Response kinds:
 * - `bytes`: raw bytes plus a JSON `description` (e.g. a frame's FrameInfo), sent alongside
 *   (HTTP: the STREAM_DESCRIPTION_HEADER); `compress` lets HTTP gzip the body for clients that
 *   accept it (label masks are mostly zeros).
 * - `image` (PNG), `pdf`, `mesh` (binary glTF), `html`, `zip`, `csv`, `dicom` (a DICOM Part 10
 *   file, application/dicom): a file of that type; all but
 *   images are offered as downloads (HTTP `Content-Disposition: attachment`). A download may
 *   declare a `description` too (e.g. the file name and export warnings), sent like a `bytes`
 *   stream's, so every transport hands the renderer the name to save the file under.
 * - `upload`: the request body is streamed in (HTTP PUT/POST); the answer is the JSON
 *   `description` of what was stored.
 *
 * Params travel as a query string over HTTP, so they are a flat object of strings and numbers;
 * number params accept their decimal text too (see `queryInteger`).
 */
export type StreamResponse =
  | { readonly kind: 'bytes'; readonly description: z.ZodType; readonly compress?: boolean }
  | { readonly kind: 'image' }
  | {
      readonly kind: 'pdf' | 'mesh' | 'html' | 'zip' | 'csv' | 'dicom';
      readonly description?: z.ZodType;
    }
  | { readonly kind: 'upload'; readonly description: z.ZodType }
  /** A stored file whose Content-Type the handler names (an STL, a CBCT volume, audio). */
  | { readonly kind: 'file'; readonly description: z.ZodType };

export type StreamKind = StreamResponse['kind'];

export interface StreamSpec<
  P extends z.ZodType = z.ZodType,
  R extends StreamResponse = StreamResponse,
> {
  readonly params: P;
  readonly access: Access;
  /** One line for the API listing. */
  readonly summary: string;
  readonly response: R;
}

/** Declares one stream; the generic keeps the exact params and response types for inference. */
export function stream<P extends z.ZodType, R extends StreamResponse>(
  spec: StreamSpec<P, R>,
): StreamSpec<P, R> {
  return spec;
}

/** The response header carrying a `bytes` stream's description as JSON (ASCII-escaped). */
export const STREAM_DESCRIPTION_HEADER = 'X-Neurosphere-Description';

/** The HTTP path prefix of every stream: `/api/stream/<name>`. */
export const STREAM_PATH_PREFIX = '/api/stream/';

/** The Content-Type each kind is answered with (an upload's answer is JSON). */
export const STREAM_CONTENT_TYPES: Readonly<Record<StreamKind, string>> = {
  bytes: 'application/octet-stream',
  image: 'image/png',
  pdf: 'application/pdf',
  mesh: 'model/gltf-binary',
  html: 'text/html; charset=utf-8',
  zip: 'application/zip',
  csv: 'text/csv; charset=utf-8',
  dicom: 'application/dicom',
  upload: 'application/json; charset=utf-8',
  file: 'application/octet-stream',
};

/** The file extension of a download's default name. */
export const STREAM_FILE_EXTENSIONS: Readonly<Record<StreamKind, string>> = {
  bytes: '.bin',
  image: '.png',
  pdf: '.pdf',
  mesh: '.glb',
  html: '.html',
  zip: '.zip',
  csv: '.csv',
  dicom: '.dcm',
  upload: '.json',
  file: '.bin',
};

/** Kinds a browser should save rather than show inside the app's origin. */
const DOWNLOAD_KINDS: ReadonlySet<StreamKind> = new Set([
  'pdf',
  'mesh',
  'html',
  'zip',
  'csv',
  'dicom',
  'file',
]);

export function isDownload(response: StreamResponse): boolean {
  return DOWNLOAD_KINDS.has(response.kind);
}

/** Whether gzip pays off: text and meshes do, PNG/PDF/zip are compressed already. */
export function isCompressible(response: StreamResponse): boolean {
  if (response.kind === 'bytes') return response.compress === true;
  return response.kind === 'html' || response.kind === 'mesh' || response.kind === 'csv';
}

/** An integer param: a number, or its decimal text as a query string carries it. */
export function queryInteger(min: number, max: number) {
  return z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\d{1,15}$/, 'Use a whole number')
        .transform(Number),
    ])
    .pipe(z.number().int().min(min).max(max));
}

const uploadName = z
  .string()
  .min(1, 'An uploaded file needs a name')
  .max(1024, 'The file name is too long');

export const streams = {
  'frames.read': stream({
    summary: 'One decoded frame of a scan: stored values in the dtype its FrameInfo names',
    params: z.object({ scanId: uuid, index: queryInteger(0, 9_999_999) }).strict(),
    access: 'scans.read',
    response: { kind: 'bytes', description: frameInfoSchema },
  }),
  'labels.read': stream({
    summary:
      "A whole label volume (uint8, columns × rows × frames) on the scan's frame grid: 'analysis' or a segmentation id",
    params: z.object({ scanId: uuid, source: labelSourceSchema }).strict(),
    access: 'scans.read',
    response: { kind: 'bytes', description: labelVolumeInfoSchema, compress: true },
  }),
  'analysis.image': stream({
    summary: "The latest analysis's class activation heatmap or overlay as PNG",
    params: z.object({ scanId: uuid, kind: z.enum(ANALYSIS_IMAGE_KINDS) }).strict(),
    access: 'scans.read',
    response: { kind: 'image' },
  }),
  'analysis.export': stream({
    summary:
      "The latest analysis's results as one ZIP: mask (PNG, or NIfTI with the scan's geometry), heatmap, overlay and results JSON",
    params: z.object({ scanId: scanIdSchema }).strict(),
    access: 'scans.read',
    response: { kind: 'zip', description: exportDescriptionSchema },
  }),
  'measurements.csv': stream({
    summary:
      "A scan's saved measurements as CSV (one row each; units in the header), for spreadsheets",
    params: z.object({ scanId: uuid }).strict(),
    access: 'scans.read',
    response: { kind: 'csv', description: measurementsCsvDescriptionSchema },
  }),
  'analysis.dicomSeg': stream({
    summary:
      "The latest analysis's mask as a DICOM Segmentation (SEG) in the source's study, for a PACS",
    params: z.object({ scanId: scanIdSchema }).strict(),
    access: 'scans.read',
    response: { kind: 'dicom', description: exportDescriptionSchema },
  }),
  'reports.pdf': stream({
    summary: 'One version of a report as PDF (drafts are marked DRAFT)',
    params: z.object({ reportId: uuid }).strict(),
    access: 'reports.read',
    response: { kind: 'pdf', description: reportPdfDescriptionSchema },
  }),
  'reports.dicom': stream({
    summary:
      "One version of a report for a PACS, as a ZIP: its analysis's DICOM SEG, overlay secondary captures and the PDF as Encapsulated PDF",
    params: z.object({ reportId: uuid }).strict(),
    access: 'reports.read',
    response: { kind: 'zip', description: reportDicomDescriptionSchema },
  }),
  'deidentify.export': stream({
    summary:
      'A scan (its series) or a study as de-identified DICOM files in a ZIP (PS3.15 Annex E basic profile and the chosen options)',
    params: deidentifyParamsSchema,
    access: 'scans.read',
    response: { kind: 'zip', description: deidentifyDescriptionSchema },
  }),
  'attachments.mesh': stream({
    summary:
      'A mesh attached to a scan (an STL file as imported, e.g. one jaw of an intra-oral scan), for the 3D viewer',
    params: z.object({ scanId: uuid, attachmentId: uuid }).strict(),
    access: 'scans.read',
    response: { kind: 'bytes', description: attachmentMeshDescriptionSchema, compress: true },
  }),
  'uploads.put': stream({
    summary: 'One file of an upload batch opened with uploads.begin, streamed in as the body',
    params: z.object({ batchId: uuid, name: uploadName }).strict(),
    access: 'import.run',
    response: { kind: 'upload', description: uploadedFileSchema },
  }),
  'dental.file': stream({
    summary:
      'One stored file of a dental case from the registry, with its MIME type (STL model/stl, CBCT application/octet-stream)',
    params: z.object({ fileId: uuid }).strict(),
    access: 'scans.read',
    response: { kind: 'file', description: dentalFileDescriptionSchema },
  }),
  'audit.csv': stream({
    summary:
      'The audit trail rows the filter selects as CSV, newest first (admin; the export is audited itself)',
    params: auditFilterSchema,
    access: 'audit.read',
    response: { kind: 'csv', description: auditCsvDescriptionSchema },
  }),
  'labels.box': stream({
    summary:
      "Only the labelled box of a label volume (uint8) with its offset on the scan's frame grid: what the 3D view meshes, a few KB where labels.read sends the whole grid",
    params: z.object({ scanId: uuid, source: labelSourceSchema }).strict(),
    access: 'scans.read',
    response: { kind: 'bytes', description: labelBoxInfoSchema, compress: true },
  }),
  'visualizations.html': stream({
    summary:
      "A scan's 3D tumour scene as one self-contained interactive HTML file (works offline, no network requests)",
    params: z.object({ id: uuid }).strict(),
    access: 'scans.read',
    response: { kind: 'html', description: visualizationHtmlDescriptionSchema },
  }),
  'dental.voiceCaptions.upload': stream({
    summary:
      'A voice caption for a dental case: the body is a WebM/Opus recording (at most 50 MB); it is stored in the file registry (audio/webm) and transcribed by a job',
    params: dentalVoiceCaptionUploadParamsSchema,
    access: 'scans.write',
    response: { kind: 'upload', description: dentalVoiceCaptionSchema },
  }),
} as const satisfies Record<string, StreamSpec>;

export type Streams = typeof streams;
export type StreamName = keyof Streams;
/** What a client passes (numbers may also be their decimal text). */
export type StreamParams<S extends StreamName> = z.input<Streams[S]['params']>;
/** What a handler receives, after validation. */
export type StreamParsedParams<S extends StreamName> = z.output<Streams[S]['params']>;

/** The description type a response carries, or null for kinds without one. */
export type DescriptionOf<R extends StreamResponse> = R extends { description: infer D }
  ? D extends z.ZodType
    ? z.output<D>
    : never
  : null;
export type StreamDescription<S extends StreamName> = DescriptionOf<Streams[S]['response']>;

export const STREAM_NAMES = Object.keys(streams) as StreamName[];

export function isStreamName(name: string): name is StreamName {
  return Object.hasOwn(streams, name);
}

/** Whether the response carries a JSON description (bytes, upload, downloads that declare one). */
export function hasDescription(
  response: StreamResponse,
): response is StreamResponse & { readonly description: z.ZodType } {
  return 'description' in response && response.description !== undefined;
}

/**
 * Checks what a transport received for a stream: its description against the spec (null for
 * kinds without one). Undefined when it does not match (a proxy that mangled the header).
 */
export function parseStreamDescription<S extends StreamName>(
  name: S,
  description: unknown,
): { readonly description: StreamDescription<S> } | undefined {
  const response: StreamResponse = streams[name].response;
  if (!hasDescription(response)) return { description: null as StreamDescription<S> };
  const parsed = response.description.safeParse(description);
  return parsed.success ? { description: parsed.data as StreamDescription<S> } : undefined;
}
