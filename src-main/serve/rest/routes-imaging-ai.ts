import { z } from 'zod';
import { brainTumourFindings } from '../../../src-shared/contract/analysis.js';
import { JOB_STATUSES, type Job } from '../../../src-shared/contract/entities.js';
import { formFiles, formText } from './multipart.js';
import { analysisJobFor, importFiles, queryInteger } from './rest-flows.js';
import { json, RestFailure, type RestRoute } from './rest-types.js';

/**
 * The Medical Imaging AI seed (a FastAPI service): its paths under /api/v1, snake_case fields
 * and `{error, message, details, timestamp}` errors. Its jobs are Neurosphere's analysis jobs.
 */
const seed = 'medical-imaging-ai' as const;

const jobOut = z.object({
  job_id: z.string(),
  status: z.enum(JOB_STATUSES),
  progress: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
  completed_at: z.string().nullable(),
  error_message: z.string().nullable(),
});

function jobJson(job: Job): z.infer<typeof jobOut> {
  return {
    job_id: job.id,
    status: job.status,
    progress: job.progress,
    created_at: job.createdAt,
    updated_at: job.updatedAt,
    completed_at: job.finishedAt,
    error_message: job.error?.message ?? null,
  };
}

const jobIdParam = {
  name: 'job_id',
  in: 'path',
  type: 'string',
  description: 'The job id (a UUID)',
  required: true,
} as const;

const vec3 = z.tuple([z.number(), z.number(), z.number()]);

const detectionOut = z.object({
  detection_id: z.string(),
  class_name: z.string(),
  class_confidence: z.number().nullable(),
  bounding_box: z.object({
    x_min: z.number(),
    y_min: z.number(),
    z_min: z.number(),
    x_max: z.number(),
    y_max: z.number(),
    z_max: z.number(),
    confidence: z.number().nullable(),
  }),
  segmentation_mask: z.object({
    mask_url: z.string(),
    format: z.string(),
    dimensions: vec3,
    confidence: z.number().nullable(),
  }),
  metrics: z.record(z.string(), z.union([z.number(), z.string()])),
});

const health = z.object({
  status: z.string(),
  timestamp: z.string(),
  version: z.string(),
  uptime: z.number(),
});

export const imagingAiRoutes: readonly RestRoute[] = [
  {
    verb: 'GET',
    path: '/api/v1/health',
    seed,
    summary: 'Health of the service',
    uses: ['system.health'],
    access: 'public',
    response: health,
    async handle(call) {
      const { status, timestamp, version, uptime } = await call.call('system.health', {});
      return json({ status, timestamp, version, uptime });
    },
  },
  {
    verb: 'GET',
    path: '/api/v1/health/detailed',
    seed,
    summary:
      'Health of each component: database, loaded models, job queue counts (needs jobs.read)',
    uses: ['system.health', 'jobs.list'],
    access: 'bearer',
    response: z.object({
      timestamp: z.string(),
      version: z.string(),
      uptime: z.number(),
      components: z.object({
        database: z.object({
          status: z.string(),
          response_time_ms: z.number(),
          schema_version: z.number().int(),
        }),
        model_service: z.object({
          status: z.string(),
          loaded_models: z.number().int(),
          models: z.array(z.string()),
        }),
        job_queue: z.record(z.string(), z.number().int()),
      }),
      overall_status: z.string(),
    }),
    async handle(call) {
      const started = performance.now();
      const system = await call.call('system.health', {});
      const responseTimeMs = Math.round((performance.now() - started) * 10) / 10;
      const queue: Record<string, number> = {};
      for (const status of JOB_STATUSES)
        queue[status] = (await call.call('jobs.list', { status, limit: 1 })).total;
      return json({
        timestamp: system.timestamp,
        version: system.version,
        uptime: system.uptime,
        components: {
          database: {
            status: system.database.status === 'ok' ? 'healthy' : 'unhealthy',
            response_time_ms: responseTimeMs,
            schema_version: system.database.schemaVersion,
          },
          model_service: {
            status: system.models.status === 'error' ? 'unhealthy' : 'healthy',
            loaded_models: system.models.available.length,
            models: system.models.available,
          },
          job_queue: queue,
        },
        overall_status: system.status,
      });
    },
  },
  {
    verb: 'POST',
    path: '/api/v1/upload',
    seed,
    summary:
      'Upload an image (DICOM, NIfTI, JPEG, PNG); it is imported and analysed, optionally with model_id',
    uses: [
      'uploads.begin',
      'uploads.put',
      'uploads.commit',
      'jobs.get',
      'import.report',
      'jobs.list',
      'analysis.start',
    ],
    access: 'bearer',
    successStatus: 201,
    body: 'multipart',
    response: z.object({
      job_id: z.string(),
      status: z.enum(JOB_STATUSES),
      message: z.string(),
      estimated_processing_time: z.number().nullable(),
    }),
    async handle(call) {
      const form = call.form as FormData;
      const modelId = formText(form, 'model_id');
      // user_id is not trusted: the caller is whoever the bearer token says.
      const { scanIds } = await importFiles(call, formFiles(form, 'file'));
      const job = await analysisJobFor(
        call,
        scanIds[0] as string,
        modelId === '' ? undefined : modelId,
      );
      return json(
        {
          job_id: job.id,
          status: job.status,
          message: 'File uploaded successfully',
          estimated_processing_time: job.etaSeconds,
        },
        201,
      );
    },
  },
  {
    verb: 'GET',
    path: '/api/v1/upload/jobs',
    seed,
    summary: 'Jobs, newest first, with status filter, limit and offset (a multiple of limit)',
    uses: ['jobs.list'],
    access: 'bearer',
    params: [
      {
        name: 'status',
        in: 'query',
        type: 'string',
        description: `One of ${JOB_STATUSES.join(', ')}`,
      },
      {
        name: 'limit',
        in: 'query',
        type: 'integer',
        description: 'At most this many jobs, 1-500 (default 20)',
      },
      {
        name: 'offset',
        in: 'query',
        type: 'integer',
        description: 'Jobs to skip, a multiple of limit (default 0)',
      },
    ],
    response: z.array(jobOut),
    async handle(call) {
      const limit = queryInteger(call.query, 'limit', 20, 1, 500);
      const offset = queryInteger(call.query, 'offset', 0, 0, 1_000_000_000);
      if (offset % limit !== 0)
        throw new RestFailure({
          code: 'INVALID_INPUT',
          message: `offset must be a multiple of limit (${limit}): jobs are read in pages.`,
          details: { issues: [{ path: 'offset', message: 'not a multiple of limit' }] },
        });
      const status = call.query.get('status');
      const page = await call.call('jobs.list', {
        ...(status !== null && status !== '' && { status: status as Job['status'] }),
        page: offset / limit + 1,
        limit,
      });
      return json(page.items.map(jobJson));
    },
  },
  {
    verb: 'GET',
    path: '/api/v1/upload/jobs/{job_id}',
    seed,
    summary: 'The status of a job',
    uses: ['jobs.get'],
    access: 'bearer',
    params: [jobIdParam],
    response: jobOut,
    async handle(call) {
      return json(jobJson(await call.call('jobs.get', { id: call.params['job_id'] as string })));
    },
  },
  {
    verb: 'POST',
    path: '/api/v1/upload/jobs/{job_id}/cancel',
    seed,
    summary: 'Cancel a pending or running job',
    uses: ['jobs.cancel'],
    access: 'bearer',
    params: [jobIdParam],
    response: jobOut,
    async handle(call) {
      return json(jobJson(await call.call('jobs.cancel', { id: call.params['job_id'] as string })));
    },
  },
  {
    verb: 'GET',
    path: '/api/v1/results/{job_id}',
    seed,
    summary: 'The complete processing result of an analysis job: detections, metrics, timings',
    uses: ['jobs.get', 'analysis.get'],
    access: 'bearer',
    params: [jobIdParam],
    response: z.object({
      job_id: z.string(),
      /** Not in the seed: the scan analysed, for the app's downloads (export ZIP, DICOM SEG). */
      scan_id: z.string(),
      status: z.string(),
      model_used: z.string().nullable(),
      processing_time_seconds: z.number(),
      created_at: z.string(),
      completed_at: z.string().nullable(),
      detections: z.array(detectionOut),
      summary: z.object({
        total_detections: z.number().int(),
        average_confidence: z.number().nullable(),
      }),
      overall_confidence: z.number().nullable(),
      image_quality_score: z.number().nullable(),
      input_metadata: z.object({
        format: z.string(),
        dimensions: vec3,
        voxel_sizes: vec3.nullable(),
      }),
      processing_metadata: z.object({
        preprocessing_time: z.number(),
        inference_time: z.number(),
        postprocessing_time: z.number(),
      }),
    }),
    async handle(call) {
      const job = await call.call('jobs.get', { id: call.params['job_id'] as string });
      if (job.type !== 'analysis.run')
        throw new RestFailure({
          code: 'NOT_FOUND',
          message: `This job is ${job.type === 'import.files' ? 'an import' : 'not an analysis'}: it has no processing result. Use the job id /api/v1/upload answered.`,
        });
      if (job.status !== 'completed')
        throw new RestFailure({
          code: 'CONFLICT',
          message: `This job is ${job.status}: its result is there once it is completed.`,
        });
      const analysis = await call.call('analysis.get', { scanId: job.payload.scanId });
      const findings = brainTumourFindings(analysis);
      const detections = (findings?.detections ?? []).map((d) => ({
        detection_id: d.detectionId,
        class_name: d.class,
        class_confidence: d.confidence,
        bounding_box: {
          x_min: d.boundingBox.voxels.min[0],
          y_min: d.boundingBox.voxels.min[1],
          z_min: d.boundingBox.voxels.min[2],
          x_max: d.boundingBox.voxels.max[0],
          y_max: d.boundingBox.voxels.max[1],
          z_max: d.boundingBox.voxels.max[2],
          confidence: d.confidence,
        },
        segmentation_mask: {
          mask_url: `/api/stream/labels.read?scanId=${analysis.scanId}&source=analysis`,
          format: 'uint8',
          dimensions: analysis.input.dimensions,
          confidence: d.confidence,
        },
        metrics: Object.fromEntries(
          Object.entries(d.metrics).filter(([key]) => key !== 'kind'),
        ) as Record<string, number>,
      }));
      const seconds = (ms: number) => Math.round(ms) / 1000;
      return json({
        job_id: job.id,
        scan_id: analysis.scanId,
        status: job.status,
        model_used: analysis.models.segmentation?.id ?? null,
        processing_time_seconds: seconds(analysis.timings.totalMs),
        created_at: job.createdAt,
        completed_at: job.finishedAt,
        detections,
        summary: {
          total_detections: detections.length,
          average_confidence: findings?.summary.averageConfidence ?? null,
        },
        overall_confidence: findings?.overallConfidence ?? null,
        image_quality_score: analysis.imageQuality?.score ?? null,
        input_metadata: {
          format: analysis.input.format,
          dimensions: analysis.input.dimensions,
          voxel_sizes: analysis.input.voxelSizes,
        },
        processing_metadata: {
          preprocessing_time: seconds(analysis.timings.preprocessMs),
          inference_time: seconds(analysis.timings.inferenceMs),
          postprocessing_time: seconds(analysis.timings.postprocessMs),
        },
      });
    },
  },
];
