// The core's public entry: everything the shells (Electron, serve mode, the CLI) may use. A shell
// that needs more asks for it here, so what crosses the boundary stays a short, reviewed list;
// the lint rule `local/import-layers` refuses shell imports of any other core file.

// Starting the core and calling it: every request goes through the router.
export { createCore, type Core, type CoreOptions } from './core.js';
export type { CallContext, Router, Transport } from './router.js';
export type { StreamBody, StreamData, StreamReply } from './streams/stream-types.js';
export type { EventBus } from './events.js';

// Who is calling: the event socket checks the session's role before it forwards an event.
export { roleOf, type Principal } from './auth/principal.js';
export { jobForRole } from './jobs/job-view.js';

// Where the app runs from, where its data lives, and which inference provider the user forced.
export { appRoot, appVersion } from './platform/version.js';
export { dataDirOrigin, resolveDataDir } from './platform/data-dir.js';
export type { AuditKey } from './audit/audit-key.js';
export { resolveAuditKey, KEY_FILE_ENV } from './audit/audit-key-store.js';
export type { AuditIssue, AuditVerification } from './audit/audit-repo.js';
export { describeAuditVerification } from './audit/audit-report.js';
export type { AuditScope } from './call-context.js';
export { beginReadRequest, type ReadRequestScope } from './audit/request-audit.js';
export { providerPreferenceFromEnv } from './inference/execution-providers.js';

// The desktop shell starts the inference process its own way (an Electron utility process).
export type {
  InferenceLauncher,
  InferenceProcess,
  ProcessEnd,
} from './inference/inference-launcher.js';
export type { WorkerResponse } from './inference/inference-protocol.js';

// The CLI's `analyze` command: grouping of 2D pictures
// into series, and the result files it writes (the same files the app exports).
export { groupPictureSeries, type PictureCandidate } from './analysis/picture-series.js';
export {
  analysisFiles,
  type AnalysisFile,
  type AnalysisFiles,
  type StoredAnalysisOutputs,
} from './exports/analysis-files.js';
export { createNameAllocator, outputBaseName } from './exports/output-names.js';

// Backup and restore of the data folder, and offline update bundles (CLI and admin docs).
export { createBackup, type BackupProgress, type BackupResult } from './backup/create-backup.js';
export { restoreBackup, type RestoreProgress } from './backup/restore-backup.js';
export {
  packUpdateBundle,
  stageUpdate,
  verifyUpdateBundle,
  type StagedUpdate,
} from './update/update-bundle.js';
export { UPDATE_PUBLIC_KEY_PEM } from './update/update-public-key.js';
export { deidentifyAuditDetails } from './deidentify/deidentify-service.js';
export type { UpdaterDriver } from './update/online-updates.js';

// Encryption at rest (docs/encryption.md): the shells unlock an encrypted data folder (or create
// a new one encrypted) before they start the core; the CLI's `encryption` commands.
export {
  ENCRYPTION_ENV,
  recoverDataDir,
  resolveDataDirEncryption,
  unlockDataDir,
  type DataDirEncryption,
} from './encryption/data-dir-encryption.js';
export { DATA_KEY_FILE_ENV, wrappingKeyStoreFor } from './encryption/wrapping-key-store.js';
export { isEncryptedDataDir } from './encryption/encryption-file.js';
export { encryptExistingDataDir } from './encryption/encrypt-existing.js';
export { encryptionStatus } from './encryption/encryption-handlers.js';

// The brain MR pipeline's roles: the CLI names its default models (the chest X-ray pipeline has
// defaults of the same tasks for its own role).
export { brainMrTumourPipeline } from './analysis/pipelines/brain-mr-tumour/index.js';
