import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Health } from '../../src-shared/contract/entities.js';
import { openDatabase, type Db } from './db/connection.js';
import { migrate, schemaVersion } from './db/migrate.js';
import { createEventBus, type EventBus } from './events.js';
import { createHandlers } from './handlers.js';
import { createImportJobRunner } from './import/import-job.js';
import { createImportService, type ImportService } from './import/import-service.js';
import { createJobQueue, type JobQueue } from './jobs/job-queue.js';
import { listModels } from './models-catalog.js';
import { createAnalysisHandlers } from './analysis/analysis-handlers.js';
import { analyseNewImports } from './analysis/auto-analysis.js';
import { createAnalysisJobRunner } from './analysis/analysis-job.js';
import { createAnalysisService, type AnalysisService } from './analysis/analysis-service.js';
import { createInferenceEngine, type InferenceEngine } from './inference/inference-engine.js';
import { createAnalysesRepo } from './repos/analyses-repo.js';
import type { ProviderPreference } from './inference/execution-providers.js';
import { createModelRegistry } from './inference/model-registry.js';
import { systemClock, type Clock } from './platform/clock.js';
import { randomIds, type IdGenerator } from './platform/ids.js';
import { fileLogger, type Logger } from './platform/logger.js';
import { appRoot, appVersion } from './platform/version.js';
import { createAuditRepo, type AuditRepo } from './repos/audit-repo.js';
import { createFilesRepo } from './repos/files-repo.js';
import { createDerivedRepo } from './repos/derived-repo.js';
import { createFrameService, type FrameService } from './imaging/frame-service.js';
import { createImagingClient, type ImagingClient } from './imaging/imaging-client.js';
import { createLabelVolumeService, type LabelVolumeService } from './imaging/label-volumes.js';
import { createJobsRepo } from './repos/jobs-repo.js';
import { createDashboardRepo } from './repos/dashboard-repo.js';
import { createUploadService, type UploadService } from './uploads/upload-service.js';
import { createPatientsRepo } from './repos/patients-repo.js';
import { createScansRepo } from './repos/scans-repo.js';
import { createSessionsRepo } from './repos/sessions-repo.js';
import { createStudiesRepo } from './repos/studies-repo.js';
import { createUsersRepo } from './repos/users-repo.js';
import { createRouter, type Router } from './router.js';
import { createAuthService, type AuthService } from './services/auth-service.js';
import { PRODUCTION_KDF, type KdfParams } from './services/password-hasher.js';
import { createPatientService } from './services/patient-service.js';
import { createScanService } from './services/scan-service.js';
import { createBlobStore, type BlobStore } from './store/blob-store.js';

export const DEFAULT_MAX_FILE_BYTES = 500 * 1024 * 1024;
/** Largest decompressed image (NIfTI .gz, deflated DICOM) the readers will produce. */
export const DEFAULT_MAX_DECODED_BYTES = 2 * 1024 * 1024 * 1024;

export interface CoreOptions {
  dataDir: string;
  clock?: Clock;
  ids?: IdGenerator;
  logger?: Logger;
  kdf?: KdfParams;
  idleTimeoutSeconds?: number;
  maxFileBytes?: number;
  jobConcurrency?: number;
  modelsDir?: string;
  /** Execution provider for inference: 'auto' (GPU with CPU fallback) unless an admin forces one. */
  providerPreference?: ProviderPreference;
  /** Imaging worker threads: count, per-file timeout and V8 heap cap. */
  imagingWorkers?: number;
  imagingTimeoutMs?: number;
  imagingMaxHeapMb?: number;
  /** Queue an analysis of every scan an import creates (serve mode and the desktop app). */
  analyseImports?: boolean;
  /** Start the job queue (recover interrupted jobs, run pending ones). Read-only CLI commands leave it off. */
  runJobs?: boolean;
  validateOutput?: boolean;
}

export interface Core {
  readonly dataDir: string;
  readonly db: Db;
  readonly router: Router;
  readonly events: EventBus;
  readonly jobs: JobQueue;
  readonly auth: AuthService;
  readonly importer: ImportService;
  /** Staged browser uploads; the HTTP and IPC upload transports write through it. */
  readonly uploads: UploadService;
  /** Decoded frames of scans, for the viewer's binary transports. */
  readonly frames: FrameService;
  /** Label volumes (analysis masks, imported segmentations) on a scan's frame grid, for the viewer. */
  readonly labels: LabelVolumeService;
  readonly imaging: ImagingClient;
  readonly inference: InferenceEngine;
  readonly analysis: AnalysisService;
  readonly blobs: BlobStore;
  readonly audit: AuditRepo;
  readonly logger: Logger;
  readonly version: string;
  health(): Health;
  close(): Promise<void>;
}

/** Builds the whole core from its dependencies: tests, the CLI, serve mode and Electron all call this. */
export function createCore(options: CoreOptions): Core {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const dataDir = options.dataDir;
  mkdirSync(dataDir, { recursive: true });
  const logger = options.logger ?? fileLogger(join(dataDir, 'logs', 'neurosphere.log'));
  const version = appVersion();
  const startedAt = clock.now().getTime();
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const modelsDir = options.modelsDir ?? join(appRoot(), 'models');

  const db = openDatabase(join(dataDir, 'neurosphere.db'));
  try {
    migrate(db, { now: () => clock.iso() });
  } catch (error) {
    db.close();
    throw error;
  }
  const blobs = createBlobStore(join(dataDir, 'blobs'));
  blobs.cleanTemp();

  const events = createEventBus((error) => logger.error('event listener failed', { error }));
  const users = createUsersRepo(db);
  const sessions = createSessionsRepo(db);
  const patientsRepo = createPatientsRepo(db);
  const studiesRepo = createStudiesRepo(db);
  const scansRepo = createScansRepo(db);
  const filesRepo = createFilesRepo(db);
  const jobsRepo = createJobsRepo(db);
  const audit = createAuditRepo(db);
  const derivedRepo = createDerivedRepo(db);
  const imaging = createImagingClient({
    workers: options.imagingWorkers ?? 2,
    taskTimeoutMs: options.imagingTimeoutMs ?? 30_000,
    maxHeapMb: options.imagingMaxHeapMb ?? 512,
    maxFileBytes,
    maxDecodedBytes: DEFAULT_MAX_DECODED_BYTES,
  });
  const frames = createFrameService({
    scans: scansRepo,
    derived: derivedRepo,
    blobs,
    imaging,
  });

  const auth = createAuthService({
    users,
    sessions,
    audit,
    clock,
    ids,
    kdf: options.kdf ?? PRODUCTION_KDF,
    idleTimeoutSeconds: options.idleTimeoutSeconds ?? 30 * 60,
  });
  const importer = createImportService({
    db,
    blobs,
    patients: patientsRepo,
    studies: studiesRepo,
    scans: scansRepo,
    files: filesRepo,
    clock,
    ids,
    events,
    derived: derivedRepo,
    imaging,
    maxFileBytes,
  });
  const registry = createModelRegistry(modelsDir);
  const inference = createInferenceEngine({
    registry,
    logger,
    preference: options.providerPreference ?? 'auto',
  });
  const analysesRepo = createAnalysesRepo(db);
  const analysis = createAnalysisService({
    db,
    scans: scansRepo,
    analyses: analysesRepo,
    derived: derivedRepo,
    frames,
    engine: inference,
    registry,
    blobs,
    events,
    clock,
    ids,
  });
  const labels = createLabelVolumeService({
    scans: scansRepo,
    derived: derivedRepo,
    files: filesRepo,
    blobs,
    frames,
    analysis,
    imaging,
  });

  const jobs = createJobQueue({
    jobs: jobsRepo,
    clock,
    ids,
    events,
    logger,
    concurrency: options.jobConcurrency ?? 2,
    runners: [
      createImportJobRunner({ importer, events, maxFilesPerImport: 200_000 }),
      createAnalysisJobRunner({ analysis, scans: scansRepo, events, clock }),
    ],
  });
  const uploads = createUploadService({
    rootDir: join(dataDir, 'uploads'),
    maxFileBytes,
    ids,
    clock,
    logger,
    events,
    jobs,
  });

  function health(): Health {
    let database: Health['database'];
    try {
      db.prepare('SELECT 1').get();
      database = { status: 'ok', schemaVersion: schemaVersion(db) };
    } catch {
      database = { status: 'error', schemaVersion: 0 };
    }
    const { models, problems } = listModels(modelsDir);
    const modelStatus: Health['models']['status'] =
      problems.length > 0 ? 'error' : models.length > 0 ? 'ok' : 'none';
    return {
      status: database.status === 'ok' ? 'healthy' : 'degraded',
      timestamp: clock.iso(),
      version,
      uptime: Math.round((clock.now().getTime() - startedAt) / 100) / 10,
      database,
      models: { status: modelStatus, available: models.map((m) => m.manifest.id) },
    };
  }

  const scanService = createScanService({
    db,
    scans: scansRepo,
    studies: studiesRepo,
    files: filesRepo,
    derived: derivedRepo,
    blobs,
  });
  const handlers = createHandlers({
    auth,
    patients: createPatientService({ db, patients: patientsRepo, blobs, clock, ids }),
    patientsRepo,
    scans: scanService,
    scansRepo,
    frames,
    studiesRepo,
    jobsRepo,
    jobs,
    uploads,
    dashboardRepo: createDashboardRepo(db),
    audit,
    clock,
    health,
    info: { version, dataDir, maxFileBytes, executionProvider: () => inference.providerInUse() },
    analysis: (record) =>
      createAnalysisHandlers({ analysis, jobs, scans: scanService, registry, record }),
  });
  const router = createRouter({
    handlers,
    authenticate: (token) => auth.authenticate(token),
    logger,
    ids,
    validateOutput: options.validateOutput ?? false,
  });

  const stopAutoAnalysis =
    options.analyseImports === true
      ? analyseNewImports({ events, jobs, scans: scansRepo, registry, logger })
      : () => undefined;

  if (options.runJobs === true) {
    jobs.start();
    // Only a process that runs jobs owns the staging area (a read-only CLI must not sweep it).
    uploads.sweep().catch((error: unknown) => logger.warn('upload sweep failed', { error }));
  }

  let isClosed = false;
  return {
    dataDir,
    db,
    router,
    events,
    jobs,
    auth,
    importer,
    uploads,
    inference,
    analysis,
    frames,
    labels,
    imaging,
    blobs,
    audit,
    logger,
    version,
    health,
    async close() {
      if (isClosed) return;
      isClosed = true;
      stopAutoAnalysis();
      uploads.close();
      await jobs.stop();
      await inference.close();
      await imaging.close();
      db.close();
    },
  };
}
