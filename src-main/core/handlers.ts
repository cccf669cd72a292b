import { AppError } from '../../src-shared/errors.js';
import { importReportSchema } from '../../src-shared/contract/entities.js';
import { ROLE_PERMISSIONS } from '../../src-shared/roles.js';
import type { AuditRepo } from './repos/audit-repo.js';
import type { PatientsRepo } from './repos/patients-repo.js';
import type { ScansRepo } from './repos/scans-repo.js';
import type { StudiesRepo } from './repos/studies-repo.js';
import type { JobsRepo } from './repos/jobs-repo.js';
import { createAuditRecorder, type AuditRecorder } from './audit-recorder.js';
import type { Handlers, HandlerCall } from './router.js';
import type { AuthService } from './services/auth-service.js';
import type { PatientService } from './services/patient-service.js';
import type { ScanService } from './services/scan-service.js';
import { actorOf, roleOf } from './services/principal.js';
import type { JobQueue } from './jobs/job-queue.js';
import type { DashboardRepo } from './repos/dashboard-repo.js';
import { uploadOwnerOfCall } from './uploads/upload-owner.js';
import type { UploadService } from './uploads/upload-service.js';
import type { Clock } from './platform/clock.js';
import type { Health } from '../../src-shared/contract/entities.js';
import type { FrameService } from './imaging/frame-service.js';

export interface HandlerDeps {
  auth: AuthService;
  patients: PatientService;
  patientsRepo: PatientsRepo;
  scans: ScanService;
  scansRepo: ScansRepo;
  frames: FrameService;
  studiesRepo: StudiesRepo;
  jobsRepo: JobsRepo;
  jobs: JobQueue;
  uploads: UploadService;
  dashboardRepo: DashboardRepo;
  audit: AuditRepo;
  clock: Clock;
  health: () => Health;
  info: { version: string; dataDir: string; maxFileBytes: number; executionProvider: () => string };
  /** The analysis methods live in their own module; they share the audit helper. */
  analysis: (
    record: AuditRecorder,
  ) => Pick<Handlers, 'analysis.start' | 'analysis.get' | 'models.list'>;
}

function clientOf(call: HandlerCall): string {
  return call.context.client ?? call.context.transport;
}

/** Maps each contract method to the services. Every read of patient data and every change is audited. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { auth, audit, clock } = deps;
  const record = createAuditRecorder(audit, clock);

  return {
    ...deps.analysis(record),
    'auth.status': () => ({ needsSetup: auth.needsSetup() }),
    'auth.setup': (input, call) => auth.setup(input, clientOf(call)),
    'auth.login': (input, call) => auth.login(input.username, input.password, clientOf(call)),
    'auth.logout': (_input, call) => {
      if (call.principal === null) throw new AppError('UNAUTHENTICATED', 'Not logged in.');
      return { loggedOut: auth.logout(call.principal) };
    },
    'auth.whoami': (_input, call) => {
      const principal = call.principal;
      if (principal === null || principal.kind !== 'user')
        throw new AppError('UNAUTHENTICATED', 'Not logged in as a user.');
      return { user: principal.user, permissions: [...ROLE_PERMISSIONS[roleOf(principal)]] };
    },

    'users.list': () => auth.listUsers(),
    'users.create': async (input, call) => {
      const user = await auth.createUser(input);
      record(call, 'users.create', user.id, { username: user.username, role: user.role });
      return user;
    },
    'users.update': async (input, call) => {
      const { id, ...changes } = input;
      const user = await auth.updateUser(id, changes);
      record(call, 'users.update', id, {
        role: changes.role,
        disabled: changes.disabled,
        passwordChanged: changes.password !== undefined,
      });
      return user;
    },

    'patients.list': (input, call) => {
      record(call, 'patients.list', null, { search: input.search ?? null });
      return deps.patientsRepo.list(input);
    },
    'patients.get': (input, call) => {
      const patient = deps.patients.get(input.id);
      record(call, 'patients.read', input.id);
      return patient;
    },
    'patients.create': (input, call) => {
      const patient = deps.patients.create(input);
      record(call, 'patients.create', patient.id);
      return patient;
    },
    'patients.update': (input, call) => {
      const { id, ...changes } = input;
      const patient = deps.patients.update(id, changes);
      record(call, 'patients.update', id, { fields: Object.keys(changes) });
      return patient;
    },
    'patients.delete': async (input, call) => {
      const result = await deps.patients.remove(input.id);
      record(call, 'patients.delete', input.id, result);
      return result;
    },

    'studies.list': (input, call) => {
      record(call, 'studies.list', input.patientId);
      return deps.studiesRepo.listStudiesOfPatient(input.patientId);
    },
    'scans.list': (input, call) => {
      record(call, 'scans.list', null, {
        status: input.status ?? null,
        search: input.search ?? null,
      });
      return deps.scansRepo.list(input);
    },
    'scans.get': (input, call) => {
      const detail = deps.scans.detail(input.id);
      record(call, 'scans.read', input.id);
      return detail;
    },
    'scans.delete': async (input, call) => {
      const deleted = await deps.scans.remove(input.id);
      record(call, 'scans.delete', input.id);
      return { deleted };
    },

    'import.files': (input, call) => {
      // Checked now, not when the job reaches its first file: the user hears of it at once.
      if (input.patientId !== undefined) deps.patients.get(input.patientId);
      if (input.segmentationOf !== undefined) deps.scans.get(input.segmentationOf);
      if (input.attachTo !== undefined) deps.scans.get(input.attachTo);
      const job = deps.jobs.enqueue('import.files', input, actorOf(call.principal));
      record(call, 'import.start', job.id, { paths: input.paths.length });
      return job;
    },
    'uploads.begin': async (_input, call) => {
      const batch = await deps.uploads.begin(uploadOwnerOfCall(call.principal));
      record(call, 'uploads.begin', batch.batchId);
      return batch;
    },
    'uploads.commit': async (input, call) => {
      if (input.patientId !== undefined) deps.patients.get(input.patientId);
      if (input.segmentationOf !== undefined) deps.scans.get(input.segmentationOf);
      const job = await deps.uploads.commit(input.batchId, uploadOwnerOfCall(call.principal), {
        ...(input.patientId !== undefined && { patientId: input.patientId }),
        ...(input.segmentationOf !== undefined && { segmentationOf: input.segmentationOf }),
      });
      record(call, 'import.start', job.id, { uploadBatch: input.batchId });
      return job;
    },
    'uploads.abort': async (input, call) => {
      const aborted = await deps.uploads.abort(input.batchId, uploadOwnerOfCall(call.principal));
      record(call, 'uploads.abort', input.batchId);
      return { aborted };
    },
    'dashboard.stats': () => deps.dashboardRepo.stats(clock.now()),
    'import.report': (input) => {
      const job = deps.jobs.get(input.id);
      if (job.type !== 'import.files')
        throw new AppError('INVALID_INPUT', 'This job is not an import.');
      const parsed = importReportSchema.safeParse(job.result);
      if (!parsed.success) {
        return { total: 0, imported: 0, duplicates: 0, rejected: 0, scanIds: [], items: [] };
      }
      return parsed.data;
    },
    // Not audited per frame: a viewer reads hundreds while scrolling; opening the scan
    // (scans.get) is the audited read.
    'images.frameInfo': (input) => deps.frames.getFrameInfo(input.scanId, input.index),
    'jobs.list': (input) => deps.jobsRepo.list(input),
    'jobs.get': (input) => deps.jobs.get(input.id),
    'jobs.cancel': (input, call) => {
      const job = deps.jobs.cancel(input.id);
      record(call, 'jobs.cancel', input.id);
      return job;
    },
    'jobs.retry': (input, call) => {
      const job = deps.jobs.retry(input.id);
      record(call, 'jobs.retry', input.id);
      return job;
    },

    'system.health': () => deps.health(),
    'system.info': () => ({
      version: deps.info.version,
      dataDir: deps.info.dataDir,
      maxFileBytes: deps.info.maxFileBytes,
      executionProvider: deps.info.executionProvider(),
    }),
  };
}
