import { z } from 'zod';
import { brainTumourFindings, type Analysis } from '../../../src-shared/contract/analysis.js';
import type { ScanWithAnalysis } from '../../../src-shared/contract/listings.js';
import {
  SCAN_STATUSES,
  VISUALIZATION_COLOUR_SCHEMES,
  VISUALIZATION_QUALITIES,
  type Job,
  type Scan,
} from '../../../src-shared/contract/entities.js';
import { formFiles, formText } from './multipart.js';
import { optional } from './optional.js';
import { analysisJobOf, importFiles, queryInteger } from './rest-flows.js';
import { json, RestFailure, type RestCall, type RestRoute } from './rest-types.js';

/**
 * The Neurosphere seed ("Neurosphere Backend API Requirements"): its paths under /api and its
 * camelCase shapes. Its Clerk session tokens are Neurosphere's session tokens.
 */
const seed = 'neurosphere' as const;

const scanStatus = z.enum(SCAN_STATUSES);

const scanSummarySchema = z.object({
  id: z.string(),
  date: z.string(),
  status: scanStatus,
  /** null until the scan has an analysis that applies to it. */
  tumorDetected: z.boolean().nullable(),
  location: z.string().optional(),
  size: z.string().optional(),
  thumbnailUrl: z.string().optional(),
});

const scanDetailSchema = z.object({
  id: z.string(),
  date: z.string(),
  status: scanStatus,
  tumorDetected: z.boolean().nullable(),
  location: z.string().nullable(),
  size: z.string().nullable(),
  notes: z.string(),
  visualizationUrl: z.string().nullable(),
  originalImageUrl: z.string().nullable(),
  doctor: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** The analysis's finding where it applies to the scan (a chest radiograph has none). */
function findingOf(analysis: Analysis | undefined) {
  const findings = analysis === undefined ? null : brainTumourFindings(analysis);
  if (findings === null) return { tumorDetected: null, location: null, size: null };
  return {
    tumorDetected: findings.tumourDetected,
    location: findings.location,
    size: findings.size,
  };
}

function overlayUrl(scanId: string): string {
  return `/api/stream/analysis.image?scanId=${scanId}&kind=overlay`;
}

function summaryOf({ scan, analysis }: ScanWithAnalysis): z.infer<typeof scanSummarySchema> {
  const finding = findingOf(analysis ?? undefined);
  return {
    id: scan.id,
    date: scan.createdAt,
    status: scan.status,
    tumorDetected: finding.tumorDetected,
    ...(finding.tumorDetected === true &&
      finding.location !== null && { location: finding.location }),
    ...(finding.tumorDetected === true && finding.size !== null && { size: finding.size }),
    ...(analysis?.outputs.hasOverlay === true && { thumbnailUrl: overlayUrl(scan.id) }),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The seed's visualize body: quality, highlightTumor, colorScheme (all optional). */
const visualizeBodySchema = z
  .object({
    quality: z.enum(VISUALIZATION_QUALITIES).optional(),
    highlightTumor: z.boolean().optional(),
    colorScheme: z.enum(VISUALIZATION_COLOUR_SCHEMES).optional(),
  })
  .strict();

function visualizeBody(body: unknown): z.infer<typeof visualizeBodySchema> {
  const parsed = visualizeBodySchema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new RestFailure(
    {
      code: 'INVALID_INPUT',
      message: `The body is not valid (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}). Send { "quality": "low"|"medium"|"high", "highlightTumor": true|false, "colorScheme": "standard"|"colorblind" }, each optional.`,
    },
    400,
  );
}

/** The seed knows processing, not pending: a queued scene is being processed too. */
function seedStatus(status: Job['status']): 'processing' | 'completed' | 'failed' | 'cancelled' {
  return status === 'pending' ? 'processing' : status;
}

async function jobEta(call: RestCall, jobId: string): Promise<number | null> {
  const job = await optional(call.call('jobs.get', { id: jobId }), [
    'NOT_FOUND',
    'PERMISSION_DENIED',
  ]);
  return job?.etaSeconds ?? null;
}

export const neurosphereRoutes: readonly RestRoute[] = [
  {
    verb: 'GET',
    path: '/api/auth/validate',
    seed,
    summary: "Verify the caller's bearer token",
    uses: ['auth.whoami'],
    access: 'bearer',
    response: z.object({
      isAuthenticated: z.boolean(),
      userId: z.string(),
      permissions: z.array(z.string()),
    }),
    async handle(call) {
      const { user, permissions } = await call.call('auth.whoami', {});
      return json({ isAuthenticated: true, userId: user.id, permissions });
    },
  },
  {
    verb: 'POST',
    path: '/api/scans/upload',
    seed,
    summary: 'Upload a scan (DICOM, PNG, JPEG, NIfTI); it is imported and analysed',
    uses: [
      'uploads.begin',
      'uploads.put',
      'uploads.commit',
      'jobs.get',
      'import.report',
      'scans.get',
      'jobs.list',
    ],
    access: 'bearer',
    successStatus: 201,
    body: 'multipart',
    response: z.object({
      scanId: z.string(),
      status: scanStatus,
      createdAt: z.string(),
      estimatedCompletionTime: z.string().nullable(),
    }),
    async handle(call) {
      const form = call.form as FormData;
      const metadataText = formText(form, 'metadata');
      let patientId: string | undefined;
      if (metadataText !== undefined) {
        let metadata: unknown;
        try {
          metadata = JSON.parse(metadataText);
        } catch {
          throw new RestFailure(
            { code: 'INVALID_INPUT', message: 'The "metadata" field is not valid JSON.' },
            400,
          );
        }
        const id = (metadata as { patientId?: unknown } | null)?.patientId;
        if (typeof id === 'string') patientId = id;
      }
      const { scanIds } = await importFiles(call, formFiles(form, 'file'), patientId);
      const scanId = scanIds[0] as string;
      const { scan } = await call.call('scans.get', { id: scanId });
      const job = await analysisJobOf(call, scanId);
      const eta = job?.etaSeconds ?? null;
      return json(
        {
          scanId,
          status: scan.status,
          createdAt: scan.createdAt,
          estimatedCompletionTime:
            eta === null ? null : new Date(Date.now() + eta * 1000).toISOString(),
        },
        201,
      );
    },
  },
  {
    verb: 'GET',
    path: '/api/scans',
    seed,
    summary: "The caller's scans, newest first, with status filter and paging",
    uses: ['scans.listWithAnalyses'],
    access: 'bearer',
    params: [
      {
        name: 'status',
        in: 'query',
        type: 'string',
        description: `One of ${SCAN_STATUSES.join(', ')}`,
      },
      { name: 'page', in: 'query', type: 'integer', description: 'Page number from 1 (default 1)' },
      {
        name: 'limit',
        in: 'query',
        type: 'integer',
        description: 'Scans per page, 1-500 (default 10)',
      },
    ],
    response: z.object({
      scans: z.array(scanSummarySchema),
      total: z.number().int(),
      page: z.number().int(),
      totalPages: z.number().int(),
    }),
    async handle(call) {
      const status = call.query.get('status');
      // One call for the page and its analyses: one read, one audit entry.
      const page = await call.call('scans.listWithAnalyses', {
        ...(status !== null && status !== '' && { status: status as Scan['status'] }),
        page: queryInteger(call.query, 'page', 1, 1, 1_000_000),
        limit: queryInteger(call.query, 'limit', 10, 1, 500),
      });
      return json({
        scans: page.items.map(summaryOf),
        total: page.total,
        page: page.page,
        totalPages: page.totalPages,
      });
    },
  },
  {
    verb: 'GET',
    path: '/api/scans/{scanId}',
    seed,
    summary: 'One scan with its finding, notes and reporting doctor',
    uses: ['scans.get', 'analysis.get', 'reports.listForScan', 'visualizations.list'],
    access: 'bearer',
    params: [
      {
        name: 'scanId',
        in: 'path',
        type: 'string',
        description: 'The scan id (a UUID)',
        required: true,
      },
    ],
    response: scanDetailSchema,
    async handle(call) {
      const { scan } = await call.call('scans.get', { id: call.params['scanId'] as string });
      const analysis = await optional(call.call('analysis.get', { scanId: scan.id }));
      // A role that may not read reports still sees the scan.
      const reports = await optional(call.call('reports.listForScan', { scanId: scan.id }), [
        'NOT_FOUND',
        'PERMISSION_DENIED',
      ]);
      const newest = reports?.[0];
      const finding = findingOf(analysis);
      const scenes = await optional(call.call('visualizations.list', { scanId: scan.id }), [
        'NOT_FOUND',
        'PERMISSION_DENIED',
      ]);
      const scene = scenes?.find((v) => v.status === 'completed');
      return json({
        id: scan.id,
        date: scan.createdAt,
        status: scan.status,
        ...finding,
        notes: analysis?.notes ?? '',
        visualizationUrl: scene === undefined ? null : `/api/visualizations/${scene.id}`,
        originalImageUrl: analysis?.outputs.hasOverlay === true ? overlayUrl(scan.id) : null,
        doctor: newest?.signedBy ?? newest?.createdBy ?? null,
        createdAt: scan.createdAt,
        updatedAt: analysis?.createdAt ?? scan.createdAt,
      });
    },
  },
  {
    verb: 'GET',
    path: '/api/scans/{scanId}/status',
    seed,
    summary: "A scan's processing status and its analysis's progress",
    uses: ['scans.get', 'jobs.list'],
    access: 'bearer',
    params: [
      {
        name: 'scanId',
        in: 'path',
        type: 'string',
        description: 'The scan id (a UUID)',
        required: true,
      },
    ],
    response: z.object({
      id: z.string(),
      status: scanStatus,
      progress: z.number().int(),
      stage: z.string().nullable(),
      estimatedTimeRemaining: z.number().nullable(),
    }),
    async handle(call) {
      const { scan } = await call.call('scans.get', { id: call.params['scanId'] as string });
      const isActive = scan.status === 'queued' || scan.status === 'processing';
      const job = isActive ? await analysisJobOf(call, scan.id) : undefined;
      const progress = scan.status === 'completed' ? 100 : Math.round((job?.progress ?? 0) * 100);
      return json({
        id: scan.id,
        status: scan.status,
        progress,
        stage: job?.stage ?? null,
        estimatedTimeRemaining: job?.etaSeconds ?? null,
      });
    },
  },
  {
    verb: 'POST',
    path: '/api/scans/{scanId}/visualize',
    seed,
    summary:
      "Generate the scan's interactive 3D tumour scene, one self-contained HTML file (runs as a job)",
    uses: ['visualizations.create', 'jobs.get'],
    access: 'bearer',
    body: 'json',
    successStatus: 202,
    conflict:
      'The scan has no tumour mask yet (analyse it first), is a single 2D picture, or is still being imported',
    params: [
      {
        name: 'scanId',
        in: 'path',
        type: 'string',
        description: 'The scan id (a UUID)',
        required: true,
      },
    ],
    response: z.object({
      visualizationId: z.string(),
      status: z.enum(['processing', 'completed', 'failed', 'cancelled']),
      estimatedCompletionTime: z.string().nullable(),
    }),
    async handle(call) {
      const options = visualizeBody(call.body);
      const created = await call.call('visualizations.create', {
        ...options,
        scanId: call.params['scanId'] as string,
      });
      const eta = created.jobId === null ? null : await jobEta(call, created.jobId);
      return json(
        {
          visualizationId: created.id,
          status: seedStatus(created.status),
          estimatedCompletionTime:
            eta === null ? null : new Date(Date.now() + eta * 1000).toISOString(),
        },
        202,
      );
    },
  },
  {
    verb: 'GET',
    path: '/api/visualizations/{visualizationId}',
    seed,
    summary: 'The interactive 3D scene as one self-contained HTML file (works offline)',
    uses: ['visualizations.html'],
    access: 'bearer',
    conflict: 'The scene is still being generated, or generating it failed or was cancelled',
    params: [
      {
        name: 'visualizationId',
        in: 'path',
        type: 'string',
        description: 'The visualizationId that POST /api/scans/{scanId}/visualize answered',
        required: true,
      },
    ],
    response: { file: 'text/html' },
    async handle(call) {
      const id = call.params['visualizationId'] as string;
      // Not one of ours (the seed's "viz_456"): missing, rather than malformed.
      if (!UUID.test(id))
        throw new RestFailure({ code: 'NOT_FOUND', message: 'No such visualization.' }, 404);
      const reply = await call.stream('visualizations.html', { id });
      return { kind: 'stream', name: 'visualizations.html', reply };
    },
  },
  {
    verb: 'GET',
    path: '/api/users/stats',
    seed,
    summary: 'Dashboard statistics',
    uses: ['dashboard.stats'],
    access: 'bearer',
    params: [
      {
        name: 'timeZone',
        in: 'query',
        type: 'string',
        description: 'IANA time zone or UTC offset for "this month" (default UTC)',
      },
    ],
    response: z.object({
      totalScans: z.number().int(),
      scansThisMonth: z.number().int(),
      tumorsDetected: z.number().int(),
      tumorPercentage: z.number().int(),
      lastScanDate: z.string().nullable(),
      lastScanDaysAgo: z.number().int().nullable(),
    }),
    async handle(call) {
      const timeZone = call.query.get('timeZone');
      const stats = await call.call('dashboard.stats', timeZone === null ? {} : { timeZone });
      return json({
        totalScans: stats.totalScans,
        scansThisMonth: stats.scansThisMonth,
        tumorsDetected: stats.tumorsDetected,
        tumorPercentage: stats.tumorPercentage,
        lastScanDate: stats.lastScanDate,
        lastScanDaysAgo: stats.lastScanDaysAgo,
      });
    },
  },
];
