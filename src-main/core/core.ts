import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Health } from '../../src-shared/contract/entities.js';
import { AppError } from '../../src-shared/errors.js';
import { openDatabase, type Db } from './db/connection.js';
import { migrate, schemaVersion } from './db/migrate.js';
import { createEventBus, type EventBus } from './events.js';
import { createImportJobRunner } from './import/import-job.js';
import { createImportService, type ImportService } from './import/import-service.js';
import { createJobQueue, type JobQueue } from './jobs/job-queue.js';
import { listModels } from './models-catalog.js';
import { createAnalysisHandlers } from './analysis/analysis-handlers.js';
import { analyseNewImports } from './analysis/auto-analysis.js';
import { createAnalysisJobRunner } from './analysis/analysis-job.js';
import { createAnalysisService, type AnalysisService } from './analysis/analysis-service.js';
import { imageGateFromRegistry } from './analysis/gate/learned-image-gate.js';
import { createInferenceEngine, type InferenceEngine } from './inference/inference-engine.js';
import { createAnalysesRepo } from './analysis/analyses-repo.js';
import type { ProviderPreference } from './inference/execution-providers.js';
import type { InferenceLauncher } from './inference/inference-launcher.js';
import { createModelRegistry } from './inference/model-registry.js';
import { systemClock, type Clock } from './platform/clock.js';
import { randomIds, type IdGenerator } from './platform/ids.js';
import { fileLogger, type Logger } from './platform/logger.js';
import { defaultModelsDir } from './platform/models-dir.js';
import { appVersion } from './platform/version.js';
import { createAuditRepo, type AuditRepo } from './audit/audit-repo.js';
import { createFilesRepo } from './scans/files-repo.js';
import { createDerivedRepo } from './scans/derived-repo.js';
import { createFrameService, type FrameService } from './imaging/frame-service.js';
import { createImagingClient, type ImagingClient } from './imaging/imaging-client.js';
import { createLabelVolumeService, type LabelVolumeService } from './labels/label-volumes.js';
import { createJobsRepo } from './jobs/jobs-repo.js';
import { createDashboardRepo } from './system/dashboard-repo.js';
import { createUploadService, type UploadService } from './uploads/upload-service.js';
import { createPatientsRepo } from './patients/patients-repo.js';
import { createScansRepo } from './scans/scans-repo.js';
import { createSessionsRepo } from './auth/sessions-repo.js';
import {
  createRefreshTokens,
  DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS,
} from './auth/refresh-tokens.js';
import { createTokenHandlers } from './auth/token-handlers.js';
import { createStudiesRepo } from './scans/studies-repo.js';
import { createUsersRepo } from './auth/users-repo.js';
import { createRouter, type Router } from './router.js';
import { createStreamHandlers } from './streams/stream-handlers.js';
import { contractStreams } from './streams/stream-table.js';
import type { StreamTable } from './streams/stream-types.js';
import { createAuthService, type AuthService } from './auth/auth-service.js';
import { createPatientScope } from './auth/patient-scope.js';
import { createImportRoots } from './import/import-roots.js';
import { createLoginThrottle, type ThrottlePolicy } from './auth/login-throttle.js';
import { PRODUCTION_KDF, type KdfParams } from './auth/password-hasher.js';
import { createPatientService } from './patients/patient-service.js';
import { createScanService } from './scans/scan-service.js';
import { createBlobStore, type BlobStore } from './store/blob-store.js';
import { createBlobReferences } from './store/blob-references.js';
import { createCallAuditor, createRefusalAuditor } from './audit/call-auditor.js';
import { createAuditHandlers } from './audit/audit-handlers.js';
import { createAuditQuery } from './audit/audit-query.js';
import type { AuditKey } from './audit/audit-key.js';
import { createAuthHandlers } from './auth/auth-handlers.js';
import { createCareTeam } from './auth/care-team.js';
import { createCareTeamHandlers } from './auth/care-team-handlers.js';
import { createCareTeamRepo } from './auth/care-team-repo.js';
import { createInvitations } from './auth/invitations.js';
import { createInvitationsRepo } from './auth/invitations-repo.js';
import { createClinicalWriter } from './clinical-write/clinical-writer.js';
import { createOutboxRepo } from './clinical-write/outbox-repo.js';
import { createImportHandlers } from './import/import-handlers.js';
import { createJobsHandlers } from './jobs/jobs-handlers.js';
import { mergeHandlers } from './merge-handlers.js';
import { createPatientsHandlers } from './patients/patients-handlers.js';
import { createScanStatus } from './scans/scan-status.js';
import { createScansHandlers } from './scans/scans-handlers.js';
import { createComparisonHandlers } from './labels/comparison-handlers.js';
import { createSegmentationComparison } from './labels/segmentation-comparison.js';
import { createAssignmentHandlers } from './patients/assignment-handlers.js';
import { createPatientAssignment } from './patients/patient-assignment.js';
import { createPatientAssignmentRepo } from './patients/patient-assignment-repo.js';
import { createSystemHandlers } from './system/system-handlers.js';
import { createWorklistHandlers } from './worklist/worklist-handlers.js';
import { createWorklistRepo } from './worklist/worklist-repo.js';
import { createExportsService, type ExportsService } from './exports/exports-service.js';
import { createDicomTagsHandlers } from './dicom-tags/dicom-tags-handlers.js';
import { createDicomTagsService } from './dicom-tags/dicom-tags-service.js';
import { createMeasurementService } from './measurements/measurement-service.js';
import { createMeasurementsHandlers } from './measurements/measurements-handlers.js';
import { createMeasurementsRepo } from './measurements/measurements-repo.js';
import {
  createDicomResultsService,
  type DicomResultsService,
} from './exports/dicom/dicom-results-service.js';
import { createDicomSourceRepo } from './exports/dicom/dicom-source-repo.js';
import { createClinicSettings } from './reports/clinic-settings.js';
import { createReportContent, type ReportContent } from './reports/report-content.js';
import { reportFigureSource } from './reports/figures/report-figure-source.js';
import { reportMeasurementRows } from './reports/report-measurements.js';
import { createGrowthHandlers } from './reports/growth-handlers.js';
import { createReportsHandlers } from './reports/reports-handlers.js';
import { createReportsRepo } from './reports/reports-repo.js';
import { createReportsService, type ReportsService } from './reports/reports-service.js';
import { reportPdfOf } from './reports/report-pdf.js';
import { createSettingsRepo } from './system/settings-repo.js';
import { createSyncHandlers } from './sync/sync-handlers.js';
import { createSyncOptions } from './sync/sync-options.js';
import { createSyncRepo } from './sync/sync-repo.js';
import { createSyncService, type SyncService, type SyncTiming } from './sync/sync-service.js';
import { createSyncSources } from './sync/sync-sources.js';
import { openDestinationSecrets } from './sync/destination-secrets.js';
import { createHubDestinations } from './sync/hub-destinations.js';
import { createHubReceiver } from './sync/hub-receiver.js';
import { createHubSources } from './sync/hub-sources.js';
import { createBackupHandlers } from './backup/backup-handlers.js';
import { createBackupService, type BackupService } from './backup/backup-service.js';
import { createDeidMappingRepo } from './deidentify/deid-mapping-repo.js';
import { createDeidSourceRepo } from './deidentify/deid-source-repo.js';
import {
  createDeidentifyService,
  type DeidentifyService,
} from './deidentify/deidentify-service.js';
import { createDicomWebHandlers } from './dicomweb/dicomweb-handlers.js';
import { createDicomWebService, type DicomWebService } from './dicomweb/dicomweb-service.js';
import { createDicomNodeHandlers } from './dicom-node/dicom-node-handlers.js';
import { createRetrieveTasks } from './dicom-node/retrieve-tasks.js';
import { createDicomNodeRepo } from './dicom-node/dicom-node-repo.js';
import { createDicomNodeService, type DicomNodeService } from './dicom-node/dicom-node-service.js';
import { createDentalHandlers } from './dental/dental-handlers.js';
import { createDentalRepo } from './dental/dental-repo.js';
import { createDentalService } from './dental/dental-service.js';
import { createVoiceCaptionRepo } from './dental/voice-caption-repo.js';
import {
  createVoiceCaptionService,
  type VoiceCaptionService,
} from './dental/voice-caption-service.js';
import { createVoiceTranscribeJobRunner } from './dental/voice-transcribe-job.js';
import { createSpeechRecognizer } from './speech/speech-recognizer.js';
import { moonshineTiny } from './speech/moonshine-model.js';
import type { DataDirOrigin } from '../../src-shared/first-run.js';
import { createFirstRunHandlers } from './first-run/first-run-handlers.js';
import { createFirstRunService } from './first-run/first-run-service.js';
import { createGpuService, type GpuService } from './gpu/gpu-service.js';
import { createOnlineUpdates, type UpdaterDriver } from './update/online-updates.js';
import { createUpdateFeed } from './update/update-feed.js';
import { createUpdateHandlers } from './update/update-handlers.js';
import { UPDATE_PUBLIC_KEY_PEM } from './update/update-public-key.js';
import { createUpdateService, type UpdateService } from './update/update-service.js';
import { createVisualizationJobRunner } from './visualizations/visualization-job.js';
import {
  createVisualizationService,
  type VisualizationService,
} from './visualizations/visualization-service.js';
import { createVisualizationsHandlers } from './visualizations/visualizations-handlers.js';
import { createReadingJobRunner } from './readings/reading-job.js';
import { createReadingsHandlers } from './readings/readings-handlers.js';
import { createReadingsRepo } from './readings/readings-repo.js';
import { createReadingsService } from './readings/readings-service.js';
import { createVisualizationsRepo } from './visualizations/visualizations-repo.js';
import { createWorkerMesher } from './visualizations/scene-mesher.js';
import { defaultViewerScriptPath, viewerScriptLoader } from './visualizations/viewer-script.js';
import type { DataDirEncryption } from './encryption/data-dir-encryption.js';
import { isEncryptedDataDir } from './encryption/encryption-file.js';
import { createEncryptionHandlers } from './encryption/encryption-handlers.js';

export const DEFAULT_MAX_FILE_BYTES = 500 * 1024 * 1024;
/** Largest decompressed image (NIfTI .gz, deflated DICOM) the readers will produce. */
export const DEFAULT_MAX_DECODED_BYTES = 2 * 1024 * 1024 * 1024;

export interface CoreOptions {
  dataDir: string;
  /** Keys the audit chain; shells get it from the OS keychain (`resolveAuditKey`), tests bring one. */
  auditKey: AuditKey;
  /**
   * The unlocked encryption of an encrypted data folder (`resolveDataDirEncryption`); null or
   * absent for a plain one. An encrypted folder without it is refused, never opened plain.
   */
  encryption?: DataDirEncryption | null;
  clock?: Clock;
  ids?: IdGenerator;
  logger?: Logger;
  kdf?: KdfParams;
  idleTimeoutSeconds?: number;
  /** Absolute lifetime of the REST API's refresh tokens (default a week). */
  refreshTokenLifetimeSeconds?: number;
  /** How long a session lasts at most, active or not (default 12 hours). */
  absoluteSessionSeconds?: number;
  /** Login throttling and lockout (tests shorten it). */
  throttle?: ThrottlePolicy;
  maxFileBytes?: number;
  /** Upload quotas per batch and per account (defaults 8 and 16 GiB). */
  uploadQuotas?: { maxBatchBytes?: number; maxUserBytes?: number };
  jobConcurrency?: number;
  modelsDir?: string;
  /** Execution provider for inference: 'auto' (GPU with CPU fallback) unless an admin forces one. */
  providerPreference?: ProviderPreference;
  /** How the inference process is started: a Node child unless a shell brings its own. */
  inferenceLauncher?: InferenceLauncher;
  /** Imaging worker threads: count, per-file timeout and V8 heap cap. */
  imagingWorkers?: number;
  imagingTimeoutMs?: number;
  imagingMaxHeapMb?: number;
  /** Queue an analysis of every scan an import creates (serve mode and the desktop app). */
  analyseImports?: boolean;
  /** Start the job queue (recover interrupted jobs, run pending ones). Read-only CLI commands leave it off. */
  runJobs?: boolean;
  validateOutput?: boolean;
  /** Start the DICOM listener if the settings enable it (serve mode and the desktop app). */
  startDicomNode?: boolean;
  /** The standalone 3D scene viewer inlined into HTML scenes (default dist/scene-export/scene-viewer.js). */
  sceneViewerScriptPath?: string;
  /** Adds streams to the contract's (tests prove a new stream needs no shell change). */
  extendStreams?: (table: StreamTable) => StreamTable;
  /** How the shell chose the data folder (platform/data-dir.ts), for the first-run wizard. */
  dataDirOrigin?: DataDirOrigin;
  /** The release key update bundles must be signed with (tests bring their own). */
  updatePublicKeyPem?: string;
  /** Connected updates (electron-updater): only the desktop shell brings one. */
  updaterDriver?: UpdaterDriver;
  /** Run the outbox sync worker in the background (serve mode and the desktop app). */
  startSync?: boolean;
  /** The sync's backoff, poll interval, batch size and timeout (tests shorten them). */
  syncTiming?: Partial<SyncTiming>;
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
  /** Files of stored results (analysis mask, heatmap, overlay, JSON; a ZIP bundle) for any shell. */
  readonly exports: ExportsService;
  /** The analysis as DICOM for a PACS: SEG, overlay Secondary Captures, Encapsulated PDF report. */
  readonly dicomResults: DicomResultsService;
  /** De-identified DICOM export of a scan or study (PS3.15 Annex E; docs/deidentification.md). */
  readonly deidentify: DeidentifyService;
  /** Report versions: draft, sign, amend (issue 12). */
  readonly reports: ReportsService;
  /** A report's content collected from the store, for the PDF renderer. */
  readonly reportContent: ReportContent;
  /** The DICOM node: Storage SCP listener, echo, query/retrieve and send (issue 17). */
  readonly dicomNode: DicomNodeService;
  /** Outbox sync to PACS destinations: SEG, Encapsulated PDF reports, originals (docs/sync.md). */
  readonly sync: SyncService;
  readonly dicomweb: DicomWebService;
  readonly blobs: BlobStore;
  /** Standalone interactive HTML scenes of scans (issue 14 item 3; docs/html-export.md). */
  readonly visualizations: VisualizationService;
  /** The data folder's encryption at rest; null when it is plain. */
  readonly encryption: DataDirEncryption | null;
  /** Backups run by the core (admin screen, schedule); the CLI backs up without a core. */
  readonly backups: BackupService;
  readonly audit: AuditRepo;
  /** The GPU check (first-run wizard, Settings, health). */
  readonly gpu: GpuService;
  /** Offline update bundles applied from the admin screen. */
  readonly updates: UpdateService;
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
  const modelsDir = options.modelsDir ?? defaultModelsDir();

  const encryption = options.encryption ?? null;
  if (encryption === null && isEncryptedDataDir(dataDir)) {
    throw new AppError(
      'PERMISSION_DENIED',
      `The data folder ${dataDir} is encrypted: it is opened with its key from the OS keychain (or NEUROSPHERE_DATA_KEY_FILE), never as a plain folder.`,
    );
  }
  const db = openDatabase(join(dataDir, 'neurosphere.db'), {
    ...(encryption !== null && { key: encryption.keys.databaseKey }),
  });
  try {
    migrate(db, { now: () => clock.iso() });
  } catch (error) {
    db.close();
    throw error;
  }
  const blobs = createBlobStore(
    join(dataDir, 'blobs'),
    encryption === null
      ? undefined
      : { blobKey: encryption.keys.blobKey, nameKey: encryption.keys.nameKey },
  );
  blobs.cleanTemp();

  const events = createEventBus((error) => logger.error('event listener failed', { error }));
  const throttle = createLoginThrottle(db, options.throttle);
  const users = createUsersRepo(db, (username) => throttle.lockedUntil(username, clock.now()));
  const sessions = createSessionsRepo(db);
  const patientsRepo = createPatientsRepo(db);
  const studiesRepo = createStudiesRepo(db);
  const scansRepo = createScansRepo(db);
  const filesRepo = createFilesRepo(db);
  const jobsRepo = createJobsRepo(db);
  const audit = createAuditRepo(db, options.auditKey, {
    onReadBatchError: (error) =>
      logger.error('audit rows of reads could not be committed; retrying', { error }),
  });
  try {
    audit.open(clock.iso());
  } catch (error) {
    db.close();
    throw error;
  }
  const writer = createClinicalWriter({ db, audit, outbox: createOutboxRepo(db), clock });
  const blobReferences = createBlobReferences(db);
  const scanStatus = createScanStatus({ scans: scansRepo, writer, events, clock });
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
    absoluteSessionSeconds: options.absoluteSessionSeconds ?? 12 * 60 * 60,
    throttle,
    patientExists: (id) => patientsRepo.get(id) !== undefined,
  });
  const refreshTokens = createRefreshTokens({
    db,
    users,
    sessions,
    audit,
    clock,
    lifetimeSeconds: options.refreshTokenLifetimeSeconds ?? DEFAULT_REFRESH_TOKEN_LIFETIME_SECONDS,
    idleTimeoutSeconds: options.idleTimeoutSeconds ?? 30 * 60,
  });
  const importer = createImportService({
    db,
    writer,
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
    ...(options.inferenceLauncher !== undefined && { launcher: options.inferenceLauncher }),
  });
  const analysesRepo = createAnalysesRepo(db);
  const analysis = createAnalysisService({
    writer,
    scanStatus,
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
    // The learned image gate (models/sequence-gate) where installed; without it, attributes only.
    imageGate: imageGateFromRegistry({ registry, engine: inference, logger }),
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

  const visualizationsRepo = createVisualizationsRepo(db);
  const analysisRunner = createAnalysisJobRunner({ analysis, scans: scansRepo, scanStatus });
  const readingsRepo = createReadingsRepo(db);
  const sceneMesher = createWorkerMesher();
  const jobs = createJobQueue({
    jobs: jobsRepo,
    clock,
    ids,
    events,
    logger,
    concurrency: options.jobConcurrency ?? 2,
    runners: [
      createImportJobRunner({ importer, events, maxFilesPerImport: 200_000 }),
      analysisRunner,
      createVisualizationJobRunner({
        repo: visualizationsRepo,
        scan: (scanId) => scansRepo.get(scanId),
        readMask: (scanId, source) => labels.getVolume(scanId, source),
        readFrame: (scanId, index) => frames.getFrame(scanId, index),
        // Read when the job runs (the scan service is made after the queue).
        readAttachments: (scanId) => attachedMeshFiles(scanId),
        loadViewerScript: viewerScriptLoader(
          options.sceneViewerScriptPath ?? defaultViewerScriptPath(),
        ),
        putBlob: (data) => blobs.putBuffer(data),
        mesher: sceneMesher,
        now: () => clock.iso(),
      }),
      createReadingJobRunner({ analysisRunner, readings: readingsRepo }),
      createVoiceTranscribeJobRunner({ voice: () => voiceCaptions }),
    ],
  });
  const uploadsDir = join(dataDir, 'uploads');
  const uploads = createUploadService({
    rootDir: uploadsDir,
    maxFileBytes,
    ...options.uploadQuotas,
    ids,
    clock,
    logger,
    events,
    jobs,
  });

  const dentalRepo = createDentalRepo(db);
  const dental = createDentalService({
    repo: dentalRepo,
    writer,
    blobs,
    jobs,
    patients: patientsRepo,
    clock,
    ids,
  });
  const voiceCaptions: VoiceCaptionService = createVoiceCaptionService({
    repo: createVoiceCaptionRepo(db),
    dental: dentalRepo,
    writer,
    blobs,
    jobs,
    recognizer: createSpeechRecognizer(inference, moonshineTiny),
    modelLabel: () => moonshineTiny().label,
    clock,
    ids,
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
      inference: {
        provider: inference.providerInUse(),
        gpuNote: inference.providerNote(),
        gpu: gpu.last(),
      },
      queue: dentalRepo.queueCounts(),
      encryption: { enabled: encryption !== null },
    };
  }

  const scanService = createScanService({
    writer,
    scans: scansRepo,
    studies: studiesRepo,
    files: filesRepo,
    derived: derivedRepo,
    blobs,
    blobReferences,
  });
  /** A scan's attached STL files for its HTML scene, read through the blob store. */
  async function attachedMeshFiles(scanId: string) {
    const detail = scanService.detail(scanId);
    const files = [];
    for (const [n, attachment] of detail.attachments.entries()) {
      const file = detail.files.find((f) => f.id === attachment.fileId);
      if (file === undefined) continue;
      files.push({
        name: attachment.description ?? `Mesh ${n + 1}`,
        bytes: await blobs.read(file.sha256),
      });
    }
    return files;
  }
  const visualizations = createVisualizationService({
    repo: visualizationsRepo,
    jobs,
    scanDetail: (scanId) => scanService.detail(scanId),
    hasAnalysisMask: (scanId) =>
      analysesRepo.latestOfScan(scanId)?.analysis.outputs.hasMask === true,
    readBlob: (sha256) => blobs.read(sha256),
    clock,
    ids,
  });
  const exports = createExportsService({
    scanDetail(scanId) {
      const detail = scanService.detail(scanId);
      const derivedFileIds = [
        ...detail.segmentations.map((s) => s.fileId),
        ...detail.attachments.map((a) => a.fileId),
      ];
      return { scan: detail.scan, files: detail.files, derivedFileIds };
    },
    analysisOutputs: (scanId) => analysis.outputs(scanId),
    uploadsDir,
  });
  const dicomSources = createDicomSourceRepo(db);
  const dicomResults = createDicomResultsService({
    scanDetail: (scanId) => scanService.detail(scanId),
    patient: (patientId) => patientsRepo.get(patientId),
    sourceFrames: (scanId) => dicomSources.framesOfScan(scanId),
    readBlob: (sha256) => blobs.read(sha256),
    analysisOutputs: (scanId, analysisId) => analysis.outputs(scanId, analysisId),
    modelLabels: (modelId) => {
      try {
        return registry.manifest(modelId).labels;
      } catch {
        return null;
      }
    },
    frames,
    now: () => clock.now(),
    version,
  });
  const deidentify = createDeidentifyService({
    sources: createDeidSourceRepo(db),
    mappings: createDeidMappingRepo(db, () => clock.iso()),
    readBlob: (sha256) => blobs.read(sha256),
    segmentation: (scanId) => dicomResults.segmentation(scanId),
    now: () => clock.now(),
  });
  const patientService = createPatientService({
    patients: patientsRepo,
    writer,
    blobs,
    blobReferences,
    clock,
    ids,
  });
  const measurements = createMeasurementService({
    writer,
    measurements: createMeasurementsRepo(db),
    scans: scansRepo,
    frames,
    clock,
    ids,
  });
  const record = createCallAuditor(audit, clock);
  // Reads of the log see the queued read rows too.
  const auditQuery = createAuditQuery(db, { beforeRead: () => audit.flushReads() });
  const assignment = createPatientAssignment({
    writer,
    patients: patientsRepo,
    scans: scansRepo,
    studies: studiesRepo,
    assignments: createPatientAssignmentRepo(db),
    clock,
    events,
  });
  const comparison = createSegmentationComparison({ labels, scans: scansRepo });
  const settingsRepo = createSettingsRepo(db);
  const clinic = createClinicSettings({ settings: settingsRepo, clock });
  const backups = createBackupService({
    dataDir,
    ...(encryption !== null && { keys: encryption.keys }),
    appVersion: version,
    settings: settingsRepo,
    clock,
    logger,
  });
  const gpu = createGpuService({ engine: inference, settings: settingsRepo, clock, logger });
  const updates = createUpdateService({
    dataDir,
    currentVersion: version,
    publicKeyPem: options.updatePublicKeyPem ?? UPDATE_PUBLIC_KEY_PEM,
    platform: process.platform,
    clock,
    logger,
  });
  const updateFeed = createUpdateFeed({ settings: settingsRepo, clock });
  const dicomNode = createDicomNodeService({
    settings: settingsRepo,
    importer,
    files: filesRepo,
    blobs,
    repo: createDicomNodeRepo(db),
    events,
    clock,
    logger,
    inboxDir: join(dataDir, 'dicom-inbox'),
    maxFileBytes,
  });
  const destinationSecrets = openDestinationSecrets({ dataDir });
  const dicomweb = createDicomWebService({
    destinations: () => dicomNode.destinations(),
    secrets: destinationSecrets,
    importer,
    repo: createDicomNodeRepo(db),
    events,
    logger,
    inboxDir: join(dataDir, 'dicomweb-inbox'),
  });
  const dicomRetrieves = createRetrieveTasks({ node: dicomNode, dicomweb, clock, logger });
  const reports = createReportsService({
    writer,
    reports: createReportsRepo(db),
    analyses: analysesRepo,
    scans: scansRepo,
    clock,
    ids,
  });
  const syncSources = createSyncSources(db);
  const sync = createSyncService({
    repo: createSyncRepo(db),
    sources: syncSources,
    materialise: {
      sources: syncSources,
      blobPath: (sha256) => blobs.pathOf(sha256),
      blobsEncrypted: blobs.isEncrypted,
      readBlob: async (sha256) => Buffer.from(await blobs.read(sha256)),
      segmentation: async (scanId, analysisId) =>
        (await dicomResults.segmentation(scanId, analysisId)).bytes,
      report: (reportId) => {
        try {
          return reports.get(reportId);
        } catch {
          return undefined;
        }
      },
      reportPdf: async (report) => (await reportPdfOf(reportContent, report)).bytes,
      encapsulatedReport: (scanId, analysisId, pdf, title) =>
        dicomResults.encapsulatedReport(scanId, analysisId, pdf, title),
      mappings: createDeidMappingRepo(db, () => clock.iso()),
      dir: join(dataDir, 'sync'),
    },
    pacs: {
      destinations: () => dicomNode.destinations(),
      callingAeTitle: () => dicomNode.settings().aeTitle,
    },
    dicomweb,
    options: createSyncOptions(settingsRepo),
    events,
    clock,
    logger,
    ...(options.syncTiming !== undefined && { timing: options.syncTiming }),
    hub: {
      db,
      destinations: createHubDestinations(settingsRepo),
      secrets: destinationSecrets,
      sources: createHubSources(db),
      receiver: createHubReceiver(db),
    },
  });
  const reportFigures = reportFigureSource({ db, blobs, frames, scans: scansRepo });
  const reportContent = createReportContent({
    analyses: analysesRepo,
    scans: scansRepo,
    studies: studiesRepo,
    patients: patientsRepo,
    registry,
    clinic,
    figures: async (context) => ({
      ...(await reportFigures(context)),
      measurements: reportMeasurementRows(measurements.list(context.report.scanId)),
    }),
    appVersion: version,
    now: () => clock.iso(),
  });
  // One map per domain; the merge proves (in its type, and again here at startup) that every
  // contract method has exactly one handler.
  const handlers = mergeHandlers(
    createAuthHandlers({ auth, record }),
    createTokenHandlers({ auth, refreshTokens }),
    createPatientsHandlers({ patients: patientService, record }),
    createScansHandlers({ scans: scanService, frames, record, clock }),
    createImportHandlers({
      jobs,
      uploads,
      patients: patientService,
      scans: scanService,
      record,
      roots: createImportRoots({ settings: settingsRepo, clock }),
    }),
    createJobsHandlers({ jobs, record }),
    createMeasurementsHandlers({ measurements, record }),
    createDicomTagsHandlers({
      tags: createDicomTagsService({ scans: scansRepo, blobs }),
      record,
    }),
    createAnalysisHandlers({ analysis, jobs, scans: scanService, registry, record }),
    createComparisonHandlers({ comparison, record }),
    createAssignmentHandlers({ assignment }),
    createReportsHandlers({ reports, clinic, record }),
    createGrowthHandlers({ db, blobs, record }),
    createSystemHandlers({
      health,
      info: {
        version,
        dataDir,
        maxFileBytes,
        executionProvider: () => inference.providerInUse(),
        executionProviderNote: () => inference.providerNote(),
      },
      dashboard: createDashboardRepo(db),
      clock,
    }),
    createWorklistHandlers({ worklist: createWorklistRepo(db), record }),
    createBackupHandlers({ backups }),
    createDicomNodeHandlers({
      node: dicomNode,
      retrieves: dicomRetrieves,
      dicomweb,
      record,
      clock,
      onDestinationRemoved: (id) =>
        destinationSecrets
          .remove(id)
          .catch((error: unknown) =>
            logger.warn('the removed destination keeps a keychain entry', { id, error }),
          ),
    }),
    createDentalHandlers({
      dental,
      uploads,
      voice: voiceCaptions,
      record,
      roots: createImportRoots({ settings: settingsRepo, clock }),
    }),
    createFirstRunHandlers({
      firstRun: createFirstRunService({
        db,
        settings: settingsRepo,
        clock,
        dataDir,
        dataDirOrigin: options.dataDirOrigin ?? 'flag',
      }),
      gpu,
      record,
    }),
    createUpdateHandlers({
      updates,
      feed: updateFeed,
      online: createOnlineUpdates({
        driver: options.updaterDriver ?? null,
        feed: updateFeed,
        logger,
      }),
      uploads,
      roots: createImportRoots({ settings: settingsRepo, clock }),
      record,
    }),
    createCareTeamHandlers({
      invitations: createInvitations({
        repo: createInvitationsRepo(db),
        auth,
        audit,
        throttle,
        clock,
        ids,
        patientExists: (id) => patientsRepo.get(id) !== undefined,
      }),
      careTeam: createCareTeam({
        repo: createCareTeamRepo(db),
        users,
        patient: (id) => patientsRepo.get(id),
        audit,
        throttle,
        clock,
      }),
      record,
    }),
    createAuditHandlers({ audit, query: auditQuery, record }),
    createVisualizationsHandlers({ visualizations, record }),
    createSyncHandlers({ sync, record }),
    createEncryptionHandlers({ encryption, record }),
    createReadingsHandlers({
      readings: createReadingsService({
        repo: readingsRepo,
        analyses: analysesRepo,
        jobs,
        clock,
        assertScan: (scanId) => void scanService.get(scanId),
      }),
      record,
    }),
    createDicomWebHandlers({
      dicomweb,
      secrets: destinationSecrets,
      destinationExists: (id) => dicomNode.destinations().some((d) => d.id === id),
      record,
    }),
  );
  const streamTable = contractStreams(
    createStreamHandlers({
      frames,
      labels,
      analysis,
      uploads,
      exports,
      measurements,
      dicomResults,
      deidentify,
      reports,
      reportContent,
      scanDetail: (scanId) => scanService.detail(scanId),
      readBlob: (sha256) => blobs.read(sha256),
      dental,
      voice: voiceCaptions,
      auditQuery,
      visualizations,
      record,
      clock,
    }),
  );
  const router = createRouter({
    handlers,
    streams: options.extendStreams?.(streamTable) ?? streamTable,
    authenticate: (token) => auth.authenticate(token),
    scope: createPatientScope(db),
    recordRefusal: createRefusalAuditor(audit, clock),
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
    // The process that runs jobs (the app, serve) also runs the scheduled backup.
    backups.startScheduler();
    // Only a process that runs jobs owns the staging area (a read-only CLI must not sweep it).
    uploads.sweep().catch((error: unknown) => logger.warn('upload sweep failed', { error }));
  }

  if (options.startDicomNode === true) void dicomNode.startIfEnabled();
  if (options.startSync === true) sync.start();

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
    exports,
    dicomResults,
    deidentify,
    dicomNode,
    sync,
    dicomweb,
    reports,
    reportContent,
    frames,
    labels,
    imaging,
    blobs,
    visualizations,
    encryption,
    backups,
    audit,
    gpu,
    updates,
    logger,
    version,
    health,
    async close() {
      if (isClosed) return;
      isClosed = true;
      stopAutoAnalysis();
      await backups.close();
      await updates.close();
      await gpu.whenIdle();
      await sync.close();
      await dicomRetrieves.close();
      await dicomNode.close();
      uploads.close();
      await jobs.stop();
      await sceneMesher.close();
      await inference.close();
      await imaging.close();
      audit.close();
      db.close();
    },
  };
}
