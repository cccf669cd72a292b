import { z } from 'zod';
import type { Permission } from '../roles.js';
import {
  changePasswordInputSchema,
  importRootsSchema,
  userCreateInputSchema,
  userUpdateInputSchema,
} from './accounts.js';
import { analysisSchema } from './analysis.js';
import {
  readingRequestedSchema,
  readingSchema,
  readingsListInputSchema,
  suggestTreatmentInputSchema,
  treatmentSuggestionsSchema,
} from './readings.js';
import {
  auditFilterOptionsSchema,
  auditListInputSchema,
  auditPageSchema,
  auditVerificationSchema,
} from './audit.js';
import { backupRunInputSchema, backupScheduleSchema, backupStatusSchema } from './backup.js';
import { firstRunCompleteInputSchema, firstRunStatusSchema } from './first-run.js';
import { gpuStatusSchema } from './gpu.js';
import {
  onlineUpdateStatusSchema,
  updateBundleInputSchema,
  updateBundleStatusSchema,
  updateFeedSchema,
  verifiedBundleSchema,
} from './updates.js';
import { dashboardStatsInputSchema, dashboardStatsSchema } from './dashboard.js';
import { encryptionStatusSchema } from './encryption.js';
import {
  dentalCaptionAddInputSchema,
  dentalCaptionEditInputSchema,
  dentalCaptionSchema,
  dentalCaseFromUploadInputSchema,
  dentalCaseCreateInputSchema,
  dentalCaseListInputSchema,
  dentalCaseMoveInputSchema,
  dentalCasePageSchema,
  dentalCaseSchema,
  dentalFolderCreateInputSchema,
  dentalFolderRenameInputSchema,
  dentalFolderSchema,
  dentalRegistryInputSchema,
  dentalRegistryPageSchema,
  dentalVoiceCaptionSchema,
} from './dental.js';
import {
  careAssignInputSchema,
  careLinkSchema,
  connectCodeInputSchema,
  connectCodeSchema,
  connectUseInputSchema,
  invitationCreateInputSchema,
  invitationSchema,
  issuedInvitationSchema,
  myPatientsSchema,
  registeredUserSchema,
  registerInputSchema,
} from './care-team.js';
import { dicomTagsSchema } from './dicom-tags.js';
import {
  dicomDestinationSchema,
  dicomNodeSettingsSchema,
  dicomNodeStatusSchema,
  retrieveResultSchema,
  studyMatchSchema,
  studyQuerySchema,
  dicomWebMatchSchema,
  dicomWebRetrieveResultSchema,
  dicomWebRetrieveSchema,
  dicomWebSearchSchema,
  dicomWebSecretInputSchema,
  dicomWebSecretStateSchema,
  retrieveStartInputSchema,
  retrieveTaskSchema,
  seriesMatchSchema,
  seriesQuerySchema,
} from './dicom-node.js';
import { frameInfoSchema } from './frames.js';
import {
  reportListInputSchema,
  reportPageSchema,
  scanListInputSchema,
  scanWithAnalysisPageSchema,
  userListInputSchema,
} from './listings.js';
import {
  syncConfigureInputSchema,
  syncItemSchema,
  syncItemsInputSchema,
  syncRetryInputSchema,
  syncStatusSchema,
  hubReceiveInputSchema,
  hubReceiveOutputSchema,
  hubRecordsInputSchema,
  hubRecordViewSchema,
  hubSaveInputSchema,
  hubTestResultSchema,
  hubDestinationSchema,
  syncPauseDestinationInputSchema,
} from './sync.js';
import {
  measurementCreateInputSchema,
  measurementSchema,
  measurementUpdateInputSchema,
} from './measurements.js';
import {
  assignPatientInputSchema,
  compareSegmentationInputSchema,
  patientAssignmentSchema,
  segmentationComparisonSchema,
} from './masks-patients.js';
import {
  clinicSettingsSchema,
  clinicSettingsUpdateSchema,
  patientReportStatsSchema,
  reportAmendInputSchema,
  reportCreateInputSchema,
  reportSchema,
  reportUpdateInputSchema,
} from './reports.js';
import { scanGrowthSchema } from './growth.js';
import {
  refreshedTokenSchema,
  tokenLoginInputSchema,
  tokenPairSchema,
  tokenRefreshInputSchema,
} from './tokens.js';
import { uploadBatchSchema } from './uploads.js';
import { visualizationListInputSchema, visualizationSchema } from './visualizations.js';
import {
  scanLabelSchema,
  scanLabelsInputSchema,
  worklistListInputSchema,
  worklistPageSchema,
} from './worklist.js';
import {
  analysisStartInputSchema,
  attachmentSchema,
  fileRecordSchema,
  healthSchema,
  importFilesInputSchema,
  importReportSchema,
  instanceSchema,
  isoDate,
  jobSchema,
  jobStatusSchema,
  pageOf,
  pagingInput,
  patientSchema,
  readingRequestInputSchema,
  scanSchema,
  segmentationSchema,
  seriesSchema,
  sexSchema,
  studySchema,
  userSchema,
  uuid,
  visualizationCreateInputSchema,
} from './entities.js';

/** Who may call a method: nobody logged in, any logged-in user, or holders of a permission. */
export type Access = 'public' | 'authenticated' | Permission;

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly access: Access;
  /** One line for the API listing. */
  readonly summary: string;
}

function method<I extends z.ZodType, O extends z.ZodType>(
  spec: MethodSpec<I, O>,
): MethodSpec<I, O> {
  return spec;
}

const empty = z.object({}).strict();
const byId = z.object({ id: uuid }).strict();
/** The policy itself (length, not the username, not common) is the core's check. */
const password = z.string().min(1, 'Enter a password').max(1024);
const username = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[a-zA-Z0-9._-]+$/, 'Use letters, digits, dot, underscore or dash');

const sessionSchema = z.object({
  token: z.string(),
  user: userSchema,
  idleTimeoutSeconds: z.number().int(),
});

const patientFields = {
  name: z.string().trim().min(1, 'A patient needs a name').max(200),
  mrn: z.string().trim().max(64).nullable().optional(),
  birthDate: isoDate.nullable().optional(),
  sex: sexSchema.nullable().optional(),
  notes: z.string().max(10_000).optional(),
};

/**
 * The whole contract between the renderer (or any client) and the core.
 * Every transport (Electron IPC, HTTP RPC, CLI) goes through the same router with this table.
 */
export const methods = {
  'auth.status': method({
    summary: 'Whether first-run setup is needed',
    input: empty,
    output: z.object({ needsSetup: z.boolean() }),
    access: 'public',
  }),
  'auth.setup': method({
    summary: 'Create the first admin account (only while no user exists)',
    input: z.object({ username, password, displayName: z.string().max(200).optional() }).strict(),
    output: sessionSchema,
    access: 'public',
  }),
  'auth.login': method({
    summary: 'Log in and receive a session token',
    input: z.object({ username: z.string().max(64), password: z.string().max(1024) }).strict(),
    output: sessionSchema,
    access: 'public',
  }),
  'auth.logout': method({
    summary: 'End the current session',
    input: empty,
    output: z.object({ loggedOut: z.boolean() }),
    access: 'authenticated',
  }),
  'auth.whoami': method({
    summary: 'The logged-in user',
    input: empty,
    output: z.object({ user: userSchema, permissions: z.array(z.string()) }),
    access: 'authenticated',
  }),
  'auth.tokens': method({
    summary: 'Log in and receive an access token and a refresh token (for programs)',
    input: tokenLoginInputSchema,
    output: tokenPairSchema,
    access: 'public',
  }),
  'auth.refresh': method({
    summary: 'A new access token for a refresh token that has not expired',
    input: tokenRefreshInputSchema,
    output: refreshedTokenSchema,
    access: 'public',
  }),
  'users.list': method({
    summary: 'Local accounts, by username; optionally by role and enabled or disabled, paged',
    input: userListInputSchema,
    output: z.array(userSchema),
    access: 'users.manage',
  }),
  'auth.changePassword': method({
    summary: 'Change your own password (your other sessions end)',
    input: changePasswordInputSchema,
    output: userSchema,
    access: 'authenticated',
  }),
  'users.create': method({
    summary: 'Create a local account',
    input: userCreateInputSchema,
    output: userSchema,
    access: 'users.manage',
  }),
  'users.update': method({
    summary: 'Change role, name, password, patient link, disable or unlock an account',
    input: userUpdateInputSchema,
    output: userSchema,
    access: 'users.manage',
  }),
  'patients.list': method({
    summary: 'Patients with search and paging',
    input: z.object({ search: z.string().max(200).optional(), ...pagingInput }).strict(),
    output: pageOf(patientSchema),
    access: 'patients.read',
  }),
  'patients.get': method({
    summary: 'One patient',
    input: byId,
    output: patientSchema,
    access: 'patients.read',
  }),
  'patients.create': method({
    summary: 'Create a patient',
    input: z.object(patientFields).strict(),
    output: patientSchema,
    access: 'patients.write',
  }),
  'patients.update': method({
    summary: 'Update a patient',
    input: z
      .object({
        id: uuid,
        name: patientFields.name.optional(),
        mrn: patientFields.mrn,
        birthDate: patientFields.birthDate,
        sex: patientFields.sex,
        notes: patientFields.notes,
      })
      .strict(),
    output: patientSchema,
    access: 'patients.write',
  }),
  'patients.delete': method({
    summary: 'Delete a patient with all their studies, scans and files',
    input: byId,
    output: z.object({ deleted: z.boolean(), scans: z.number().int(), files: z.number().int() }),
    access: 'patients.delete',
  }),
  'studies.list': method({
    summary: 'Studies of a patient',
    input: z.object({ patientId: uuid }).strict(),
    output: z.array(studySchema),
    access: 'scans.read',
  }),
  'scans.list': method({
    summary: 'Scans with status filter, search, date range, sorting and paging',
    input: scanListInputSchema,
    output: pageOf(scanSchema),
    access: 'scans.read',
  }),
  'worklist.list': method({
    summary:
      'Studies with their series (AI finding per series), search, modality, result and status filters, sorting and paging by study',
    input: worklistListInputSchema,
    output: worklistPageSchema,
    access: 'scans.read',
  }),
  'worklist.scanLabels': method({
    summary: 'Name scans for people: series, description, patient name and ID',
    input: scanLabelsInputSchema,
    output: z.array(scanLabelSchema),
    access: 'scans.read',
  }),
  'scans.get': method({
    summary: 'One scan with its series, instances and files',
    input: byId,
    output: z.object({
      scan: scanSchema,
      series: seriesSchema.nullable(),
      study: studySchema.nullable(),
      instances: z.array(instanceSchema),
      files: z.array(fileRecordSchema),
      segmentations: z.array(segmentationSchema),
      attachments: z.array(attachmentSchema),
    }),
    access: 'scans.read',
  }),
  'scans.delete': method({
    summary: 'Delete a scan and its files',
    input: byId,
    output: z.object({ deleted: z.boolean() }),
    access: 'scans.delete',
  }),
  'import.files': method({
    summary: 'Import files and folders from paths on this workstation (runs as a job)',
    input: importFilesInputSchema,
    output: jobSchema,
    access: 'import.run',
  }),
  'uploads.begin': method({
    summary: 'Open an upload batch for files sent over the binary upload transport',
    input: empty,
    output: uploadBatchSchema,
    access: 'import.run',
  }),
  'uploads.commit': method({
    summary: 'Import the files of an upload batch (runs as an import job)',
    input: z
      .object({
        batchId: uuid,
        patientId: uuid.optional(),
        /** Import the uploaded NIfTI label maps as segmentations of this scan. */
        segmentationOf: uuid.optional(),
      })
      .strict(),
    output: jobSchema,
    access: 'import.run',
  }),
  'uploads.abort': method({
    summary: 'Discard an upload batch that was not committed',
    input: z.object({ batchId: uuid }).strict(),
    output: z.object({ aborted: z.boolean() }),
    access: 'import.run',
  }),
  'dashboard.stats': method({
    summary:
      'Statistics for the dashboard: patients, studies, studies this month (in the given time zone), tumours, last import',
    input: dashboardStatsInputSchema,
    output: dashboardStatsSchema,
    access: 'scans.read',
  }),
  'measurements.list': method({
    summary:
      "A scan's saved measurements: kind, slice, points (image and patient mm), values with units, label, author, time",
    input: z.object({ scanId: uuid }).strict(),
    output: z.array(measurementSchema),
    access: 'scans.read',
  }),
  'measurements.create': method({
    summary: 'Save a length, ellipse, angle or arrow drawn on a slice of a scan',
    input: measurementCreateInputSchema,
    output: measurementSchema,
    access: 'annotations.write',
  }),
  'measurements.update': method({
    summary: 'Move the points or change the label of a saved measurement (its author or an admin)',
    input: measurementUpdateInputSchema,
    output: measurementSchema,
    access: 'annotations.write',
  }),
  'measurements.delete': method({
    summary: 'Delete a saved measurement (its author or an admin)',
    input: byId,
    output: z.object({ deleted: z.boolean() }),
    access: 'annotations.write',
  }),
  'scans.tags': method({
    summary:
      'Every DICOM element of the stored file shown at a slice (sequences, private tags; binary values summarised)',
    input: z.object({ scanId: uuid, frame: z.number().int().min(0).max(9_999_999) }).strict(),
    output: dicomTagsSchema,
    access: 'scans.read',
  }),
  'images.frameInfo': method({
    summary:
      'Describe one decoded frame of a scan (the pixels come over the binary frame transport)',
    input: z.object({ scanId: uuid, index: z.number().int().min(0) }).strict(),
    output: frameInfoSchema,
    access: 'scans.read',
  }),
  'jobs.list': method({
    summary: 'Jobs, newest first',
    input: z.object({ status: jobStatusSchema.optional(), ...pagingInput }).strict(),
    output: pageOf(jobSchema),
    access: 'jobs.read',
  }),
  'jobs.get': method({ summary: 'One job', input: byId, output: jobSchema, access: 'jobs.read' }),
  'jobs.cancel': method({
    summary: 'Cancel a pending or running job',
    input: byId,
    output: jobSchema,
    access: 'jobs.manage',
  }),
  'jobs.retry': method({
    summary: 'Run a failed or cancelled job again',
    input: byId,
    output: jobSchema,
    access: 'jobs.manage',
  }),
  'analysis.start': method({
    summary:
      'Analyse a scan with the pipeline made for it (brain MR: tumour segmentation, measurements and tumour type; runs as a job)',
    input: analysisStartInputSchema,
    output: jobSchema,
    access: 'analysis.run',
  }),
  'analysis.get': method({
    summary: 'The latest analysis of a scan',
    input: z.object({ scanId: uuid }).strict(),
    output: analysisSchema,
    access: 'scans.read',
  }),
  'analysis.compareSegmentation': method({
    summary:
      "Dice and volume difference between the analysis's tumour mask and an expert segmentation (whole tumour)",
    input: compareSegmentationInputSchema,
    output: segmentationComparisonSchema,
    access: 'scans.read',
  }),
  'scans.assignPatient': method({
    summary: 'Assign a scan (or its whole study) to a patient',
    input: assignPatientInputSchema,
    output: patientAssignmentSchema,
    access: 'scans.write',
  }),
  'models.list': method({
    summary: 'Installed AI models with their task, version, labels and whether they verify',
    input: empty,
    output: z.array(
      z.object({
        id: z.string(),
        version: z.string(),
        task: z.string(),
        /** The part it plays in a pipeline (e.g. "tumour-segmentation"), from its manifest. */
        role: z.string().nullable(),
        /** Used for its role when no model is named. */
        isDefault: z.boolean(),
        /** What it reads, in words ("axial brain FLAIR MR"); null where undeclared. */
        reads: z.string().nullable(),
        labels: z.array(z.string()),
        intendedUse: z.string(),
        usable: z.boolean(),
        problem: z.string().nullable(),
      }),
    ),
    access: 'system.read',
  }),
  'import.report': method({
    summary: 'The per-file report of an import job',
    input: byId,
    output: importReportSchema,
    access: 'jobs.read',
  }),
  'system.health': method({
    summary: 'Health of the core, database and models',
    input: empty,
    output: healthSchema,
    access: 'public',
  }),
  'reports.create': method({
    summary:
      'Start a draft report of a scan from its latest analysis (one report per scan; amend a signed one)',
    input: reportCreateInputSchema,
    output: reportSchema,
    access: 'reports.write',
  }),
  'reports.get': method({
    summary: 'One version of a report',
    input: byId,
    output: reportSchema,
    access: 'reports.read',
  }),
  'reports.update': method({
    summary: 'Edit the findings and impression of a draft report (a signed one is amended instead)',
    input: reportUpdateInputSchema,
    output: reportSchema,
    access: 'reports.write',
  }),
  'reports.sign': method({
    summary: 'Sign a draft report: it becomes final and can no longer be edited',
    input: byId,
    output: reportSchema,
    access: 'reports.sign',
  }),
  'reports.amend': method({
    summary: 'Amend a signed report: a new draft version that names what it changes',
    input: reportAmendInputSchema,
    output: reportSchema,
    access: 'reports.write',
  }),
  'reports.listForPatient': method({
    summary: "Every version of the reports of a patient's scans, newest first",
    input: z.object({ patientId: uuid }).strict(),
    output: z.array(reportSchema),
    access: 'reports.read',
  }),
  'reports.listForScan': method({
    summary: "Every version of a scan's report, newest first",
    input: z.object({ scanId: uuid }).strict(),
    output: z.array(reportSchema),
    access: 'reports.read',
  }),
  'reports.delete': method({
    summary: "Delete a scan's report with all its versions (admin)",
    input: byId,
    output: z.object({ deleted: z.boolean(), versions: z.number().int() }),
    access: 'reports.delete',
  }),
  'reports.patientStats': method({
    summary: "A patient's scans, with tumour, without tumour, not assessed, and their reports",
    input: z.object({ patientId: uuid }).strict(),
    output: patientReportStatsSchema,
    access: 'reports.read',
  }),
  'reports.growth': method({
    summary:
      "Each lesion's size across the patient's analysed studies up to this scan's, with % and per-month change, and a plot",
    input: z.object({ scanId: uuid }).strict(),
    output: scanGrowthSchema,
    access: 'scans.read',
  }),
  'clinic.get': method({
    summary: "The clinic's name, address and logo printed on reports",
    input: empty,
    output: clinicSettingsSchema,
    access: 'reports.read',
  }),
  'importRoots.get': method({
    summary: 'The server folders from which files may be imported by path over the network',
    input: empty,
    output: importRootsSchema,
    access: 'import.run',
  }),
  'importRoots.set': method({
    summary: 'Set the server folders from which files may be imported by path over the network',
    input: importRootsSchema.strict(),
    output: importRootsSchema,
    access: 'settings.write',
  }),
  'clinic.update': method({
    summary: "Change the clinic's name, address or logo (PNG or JPEG) printed on reports",
    input: clinicSettingsUpdateSchema,
    output: clinicSettingsSchema,
    access: 'settings.write',
  }),
  'dicom.node.get': method({
    summary:
      "This workstation's DICOM node (AE title, port, allowed senders), its PACS and the listener's state",
    input: empty,
    output: z.object({
      node: dicomNodeSettingsSchema,
      destinations: z.array(dicomDestinationSchema),
      status: dicomNodeStatusSchema,
    }),
    access: 'system.read',
  }),
  'dicom.node.update': method({
    summary: "Change the DICOM node's settings (a running listener restarts with them)",
    input: dicomNodeSettingsSchema,
    output: dicomNodeSettingsSchema,
    access: 'settings.write',
  }),
  'dicom.destinations.save': method({
    summary: 'Add or change a PACS destination (AE title, host, port)',
    input: dicomDestinationSchema,
    output: z.array(dicomDestinationSchema),
    access: 'settings.write',
  }),
  'dicom.destinations.remove': method({
    summary: 'Remove a PACS destination',
    input: z.object({ id: z.string().min(1) }).strict(),
    output: z.array(dicomDestinationSchema),
    access: 'settings.write',
  }),
  'dicom.echo': method({
    summary: 'Test the connection to a PACS destination (C-ECHO)',
    input: z.object({ destinationId: z.string().min(1) }).strict(),
    output: z.object({ ms: z.number() }),
    access: 'system.read',
  }),
  'dicom.find': method({
    summary: "Find a patient's studies on a PACS (C-FIND by patient id, name or date)",
    input: studyQuerySchema,
    output: z.array(studyMatchSchema),
    // The PACS answers for every patient, beyond a role's own scope: those who import may ask.
    access: 'import.run',
  }),
  'dicom.retrieve': method({
    summary: 'Pull a study from a PACS into this workstation (C-MOVE to our listener)',
    input: z
      .object({ destinationId: z.string().min(1), studyInstanceUid: z.string().min(1).max(64) })
      .strict(),
    output: retrieveResultSchema,
    access: 'import.run',
  }),
  'dicom.send': method({
    summary: "Send a scan's DICOM files to a PACS (C-STORE)",
    input: z.object({ destinationId: z.string().min(1), scanId: uuid }).strict(),
    output: z.object({ sent: z.number().int(), failed: z.number().int() }),
    access: 'scans.write',
  }),
  'system.info': method({
    summary: 'Version, data directory and limits',
    input: empty,
    output: z.object({
      version: z.string(),
      dataDir: z.string(),
      maxFileBytes: z.number().int(),
      executionProvider: z.string(),
      /** Why the preferred (GPU) provider is not used, e.g. "CUDA could not be used (…)". */
      executionProviderNote: z.string().nullable(),
    }),
    access: 'system.read',
  }),
  'backup.status': method({
    summary: 'The last backup, the one running (with progress) and the backup schedule (admin)',
    input: empty,
    output: backupStatusSchema,
    access: 'settings.write',
  }),
  'backup.run': method({
    summary: 'Back up the data folder now into a new folder inside the one given (admin)',
    input: backupRunInputSchema,
    output: backupStatusSchema,
    access: 'settings.write',
  }),
  'backup.cancel': method({
    summary: 'Cancel the running backup; its unfinished folder is removed (admin)',
    input: empty,
    output: backupStatusSchema,
    access: 'settings.write',
  }),
  'backup.setSchedule': method({
    summary: 'Turn the scheduled backup on or off, how often and where (admin)',
    input: backupScheduleSchema,
    output: backupStatusSchema,
    access: 'settings.write',
  }),
  'dental.cases.create': method({
    summary:
      'Create a dental case: name, patient, upper and lower STL (checked), CBCT (NIfTI or DICOM folder, imported as a job)',
    input: dentalCaseCreateInputSchema,
    output: dentalCaseSchema,
    access: 'import.run',
  }),
  'dental.cases.list': method({
    summary: 'Dental cases, newest first, by folder and search, paged',
    input: dentalCaseListInputSchema,
    output: dentalCasePageSchema,
    access: 'scans.read',
  }),
  'dental.cases.get': method({
    summary: 'One dental case with its STL parts and CBCT',
    input: byId,
    output: dentalCaseSchema,
    access: 'scans.read',
  }),
  'dental.cases.move': method({
    summary: 'Move a dental case into a folder (null: out of every folder)',
    input: dentalCaseMoveInputSchema,
    output: dentalCaseSchema,
    access: 'scans.write',
  }),
  'dental.folders.list': method({
    summary: 'Folders of dental cases with their case counts',
    input: empty,
    output: z.array(dentalFolderSchema),
    access: 'scans.read',
  }),
  'dental.folders.create': method({
    summary: 'Create a folder for dental cases',
    input: dentalFolderCreateInputSchema,
    output: dentalFolderSchema,
    access: 'scans.write',
  }),
  'dental.folders.rename': method({
    summary: 'Rename a folder of dental cases',
    input: dentalFolderRenameInputSchema,
    output: dentalFolderSchema,
    access: 'scans.write',
  }),
  'dental.captions.list': method({
    summary: "A dental case's text captions with author, time and edit history",
    input: z.object({ caseId: uuid }).strict(),
    output: z.array(dentalCaptionSchema),
    access: 'scans.read',
  }),
  'dental.captions.add': method({
    summary: 'Add a text caption to a dental case, for the case or one modality',
    input: dentalCaptionAddInputSchema,
    output: dentalCaptionSchema,
    access: 'scans.write',
  }),
  'dental.captions.edit': method({
    summary: 'Change the text of a caption; the earlier text stays in its history',
    input: dentalCaptionEditInputSchema,
    output: dentalCaptionSchema,
    access: 'scans.write',
  }),
  'dental.files.list': method({
    summary:
      'The file registry: every stored file of dental cases with type, size, sha256, case and patient; filters and paging',
    input: dentalRegistryInputSchema,
    output: dentalRegistryPageSchema,
    access: 'scans.read',
  }),
  'firstRun.status': method({
    summary:
      'Whether the first-run wizard was finished, and what its data-folder step shows (admin)',
    input: empty,
    output: firstRunStatusSchema,
    access: 'settings.write',
  }),
  'firstRun.complete': method({
    summary: 'Finish the first-run wizard (steps skipped can be done later from Settings) (admin)',
    input: firstRunCompleteInputSchema,
    output: firstRunStatusSchema,
    access: 'settings.write',
  }),
  'gpu.status': method({
    summary: 'The last GPU check: provider, device, and why a GPU is not used (admin)',
    input: empty,
    output: gpuStatusSchema,
    access: 'settings.write',
  }),
  'gpu.check': method({
    summary: "Try the platform's GPU provider (CUDA, DirectML) with a tiny model now (admin)",
    input: empty,
    output: gpuStatusSchema,
    access: 'settings.write',
  }),
  'updates.bundle.verify': method({
    summary:
      'Check an offline update bundle (signature, version, installer sha256); installs nothing (admin)',
    input: updateBundleInputSchema,
    output: verifiedBundleSchema,
    access: 'settings.write',
  }),
  'updates.bundle.apply': method({
    summary:
      'Verify an update bundle and stage its installer in the data folder, with progress (admin)',
    input: updateBundleInputSchema,
    output: updateBundleStatusSchema,
    access: 'settings.write',
  }),
  'updates.bundle.status': method({
    summary:
      'The offline update being applied (progress), or the last one staged or refused (admin)',
    input: empty,
    output: updateBundleStatusSchema,
    access: 'settings.write',
  }),
  'updates.bundle.cancel': method({
    summary: 'Cancel applying an update bundle; the partly staged installer is removed (admin)',
    input: empty,
    output: updateBundleStatusSchema,
    access: 'settings.write',
  }),
  'updates.feed.get': method({
    summary: "The clinic's update server for connected updates (desktop app) (admin)",
    input: empty,
    output: updateFeedSchema,
    access: 'settings.write',
  }),
  'updates.feed.set': method({
    summary: "Set or clear the clinic's update server (an https:// address) (admin)",
    input: updateFeedSchema,
    output: updateFeedSchema,
    access: 'settings.write',
  }),
  'updates.online.status': method({
    summary: 'Where the connected update stands (desktop app only) (admin)',
    input: empty,
    output: onlineUpdateStatusSchema,
    access: 'settings.write',
  }),
  'updates.online.check': method({
    summary: "Ask the clinic's update server for a newer version (desktop app only) (admin)",
    input: empty,
    output: onlineUpdateStatusSchema,
    access: 'settings.write',
  }),
  'updates.online.download': method({
    summary: 'Download the newer version found by the check (desktop app only) (admin)',
    input: empty,
    output: onlineUpdateStatusSchema,
    access: 'settings.write',
  }),
  'updates.online.install': method({
    summary: 'Quit and install the downloaded version (desktop app only) (admin)',
    input: empty,
    output: onlineUpdateStatusSchema,
    access: 'settings.write',
  }),
  'invitations.create': method({
    summary: 'Invite someone to register with a role: a one-time token and short code that expire',
    input: invitationCreateInputSchema,
    output: issuedInvitationSchema,
    access: 'users.manage',
  }),
  'invitations.list': method({
    summary: 'Invitations with their status (pending, used, expired, revoked), newest first',
    input: empty,
    output: z.array(invitationSchema),
    access: 'users.manage',
  }),
  'invitations.revoke': method({
    summary: 'Withdraw an invitation that has not been used',
    input: byId,
    output: invitationSchema,
    access: 'users.manage',
  }),
  'auth.register': method({
    summary: 'Create your account with an invitation (the role comes from the invitation)',
    input: registerInputSchema,
    output: registeredUserSchema,
    access: 'public',
  }),
  'careTeam.createCode': method({
    summary:
      'A one-time connect code: a patient account’s for its record, a doctor’s for themselves',
    input: connectCodeInputSchema,
    output: connectCodeSchema,
    access: 'careteam.connect',
  }),
  'careTeam.connect': method({
    summary: 'Connect with the other side’s code: a doctor to a patient, or a patient to a doctor',
    input: connectUseInputSchema,
    output: careLinkSchema,
    access: 'careteam.connect',
  }),
  'careTeam.myPatients': method({
    summary: 'The patients assigned to you (a doctor’s patients)',
    input: empty,
    output: myPatientsSchema,
    access: 'patients.read',
  }),
  'careTeam.list': method({
    summary: 'Every doctor–patient assignment',
    input: empty,
    output: z.array(careLinkSchema),
    access: 'users.manage',
  }),
  'careTeam.assign': method({
    summary: 'Assign a doctor account to a patient',
    input: careAssignInputSchema,
    output: careLinkSchema,
    access: 'users.manage',
  }),
  'careTeam.unassign': method({
    summary: 'End a doctor’s assignment to a patient',
    input: careAssignInputSchema,
    output: z.object({ removed: z.boolean() }),
    access: 'users.manage',
  }),
  'audit.list': method({
    summary:
      'The audit trail, newest first, filtered by user, patient (record id or MRN), action, time and outcome, paged (admin)',
    input: auditListInputSchema,
    output: auditPageSchema,
    access: 'audit.read',
  }),
  'audit.filterOptions': method({
    summary: 'The users and actions that appear in the audit trail, for its filters (admin)',
    input: empty,
    output: auditFilterOptionsSchema,
    access: 'audit.read',
  }),
  'audit.verify': method({
    summary:
      "Verify the audit trail's HMAC chain and head record: every broken link, altered row and truncation (admin)",
    input: empty,
    output: auditVerificationSchema,
    access: 'audit.read',
  }),
  'scans.listWithAnalyses': method({
    summary:
      'A page of scans, each with its newest analysis, in one read (same filters and paging as scans.list)',
    input: scanListInputSchema,
    output: scanWithAnalysisPageSchema,
    access: 'scans.read',
  }),
  'reports.list': method({
    summary: 'Reports of every patient, newest first, by status or patient, paged',
    input: reportListInputSchema,
    output: reportPageSchema,
    access: 'reports.read',
  }),
  'visualizations.create': method({
    summary:
      "Build a scan's 3D tumour scene as one self-contained interactive HTML file (quality, highlightTumor, colorScheme; runs as a job)",
    input: visualizationCreateInputSchema,
    output: visualizationSchema,
    access: 'analysis.run',
  }),
  'visualizations.list': method({
    summary: "A scan's HTML scenes, newest first, with the state of those still being built",
    input: visualizationListInputSchema,
    output: z.array(visualizationSchema),
    access: 'scans.read',
  }),
  'visualizations.get': method({
    summary:
      'One HTML scene and the state of its job (the file itself: stream visualizations.html)',
    input: byId,
    output: visualizationSchema,
    access: 'scans.read',
  }),
  'sync.status': method({
    summary:
      'Outbox sync to the PACS: paused or not, each destination online or offline, items waiting, last success and last error',
    input: empty,
    output: syncStatusSchema,
    access: 'system.read',
  }),
  'sync.items': method({
    summary: 'Items of the outbox sync (what is sent to which PACS), newest first, by state',
    input: syncItemsInputSchema,
    output: z.array(syncItemSchema),
    access: 'system.read',
  }),
  'sync.configure': method({
    summary:
      'Choose what each PACS destination receives (originals, SEG, reports, de-identified) and the bandwidth limit (admin)',
    input: syncConfigureInputSchema,
    output: syncStatusSchema,
    access: 'settings.write',
  }),
  'sync.retry': method({
    summary: 'Send failed sync items again now (one item, or every failed item)',
    input: syncRetryInputSchema,
    output: z.object({ retried: z.number().int() }),
    access: 'jobs.manage',
  }),
  'sync.pause': method({
    summary: 'Pause the outbox sync (what is being sent finishes; nothing new starts)',
    input: empty,
    output: syncStatusSchema,
    access: 'jobs.manage',
  }),
  'sync.resume': method({
    summary: 'Resume the outbox sync',
    input: empty,
    output: syncStatusSchema,
    access: 'jobs.manage',
  }),
  'sync.run': method({
    summary: 'Try every waiting sync item now, without waiting for its backoff',
    input: empty,
    output: syncStatusSchema,
    access: 'jobs.manage',
  }),
  'encryption.status': method({
    summary:
      'Encryption at rest of the data folder: ciphers, where the key is kept, and the recovery key until it is confirmed (admin)',
    input: empty,
    output: encryptionStatusSchema,
    access: 'settings.write',
  }),
  'encryption.confirmRecoveryKey': method({
    summary:
      'The admin has written the recovery key down: it is removed and never shown again (admin)',
    input: empty,
    output: encryptionStatusSchema,
    access: 'settings.write',
  }),
  'dicomweb.test': method({
    summary:
      "Test a PACS destination's DICOMweb endpoint (a QIDO-RS search: reachable, TLS, credentials)",
    input: z.object({ destinationId: z.string().min(1) }).strict(),
    output: z.object({ ms: z.number() }),
    access: 'system.read',
  }),
  'dicomweb.search': method({
    summary: 'Search studies, series or instances on a PACS by DICOMweb (QIDO-RS)',
    input: dicomWebSearchSchema,
    output: z.array(dicomWebMatchSchema),
    access: 'scans.read',
  }),
  'dicomweb.retrieve': method({
    summary:
      'Pull a study or series from a PACS by DICOMweb (WADO-RS) through the import (validated, de-duplicated)',
    input: dicomWebRetrieveSchema,
    output: dicomWebRetrieveResultSchema,
    access: 'import.run',
  }),
  'dicomweb.secret.set': method({
    summary:
      "Keep a PACS destination's DICOMweb password or token in the OS keychain (empty removes it; never shown back)",
    input: dicomWebSecretInputSchema,
    output: dicomWebSecretStateSchema,
    access: 'settings.write',
  }),
  'dicomweb.secret.get': method({
    summary: "Whether a PACS destination's DICOMweb password or token is stored (never the secret)",
    input: z.object({ destinationId: z.string().min(1) }).strict(),
    output: dicomWebSecretStateSchema,
    access: 'settings.write',
  }),
  'dental.cases.createFromUpload': method({
    summary:
      "Create a dental case from an upload batch (upper/, lower/ STL, cbct/ NIfTI or DICOM folder), as the seed's form does",
    input: dentalCaseFromUploadInputSchema,
    output: dentalCaseSchema,
    access: 'import.run',
  }),
  'dicom.findSeries': method({
    summary: 'The series of one study on a PACS (C-FIND at series level)',
    input: seriesQuerySchema,
    output: z.array(seriesMatchSchema),
    access: 'import.run',
  }),
  'dicom.retrieve.start': method({
    summary:
      'Start pulling a study or one series from a PACS into this workstation (C-MOVE to our listener), in the background',
    input: retrieveStartInputSchema,
    output: retrieveTaskSchema,
    access: 'import.run',
  }),
  'dicom.retrieve.list': method({
    summary: 'Retrieves from the PACS since the node started: progress, outcome, newest first',
    input: empty,
    output: z.array(retrieveTaskSchema),
    access: 'import.run',
  }),
  'dicom.retrieve.cancel': method({
    summary: 'Cancel a running retrieve (instances already received are kept)',
    input: z.object({ id: z.string().min(1) }).strict(),
    output: retrieveTaskSchema,
    access: 'import.run',
  }),
  'sync.pauseDestination': method({
    summary: 'Pause or resume the sync to one PACS destination (the others keep syncing)',
    input: syncPauseDestinationInputSchema,
    output: syncStatusSchema,
    access: 'jobs.manage',
  }),
  'readings.request': method({
    summary:
      'Ask for a friendly (patient) or expert reading of a chest X-ray, with a priority (LOW/MEDIUM/HIGH) and notes; runs as a job whose id is the reading id',
    input: readingRequestInputSchema,
    output: readingRequestedSchema,
    access: 'analysis.run',
  }),
  'readings.get': method({
    summary:
      'One reading: its state, the friendly text, the expert figures (not for patients) and the suggestions (roles allowed only)',
    input: byId,
    output: readingSchema,
    access: 'scans.read',
  }),
  'readings.list': method({
    summary: 'The readings of a scan, newest first',
    input: readingsListInputSchema,
    output: z.array(readingSchema),
    access: 'scans.read',
  }),
  'readings.suggestTreatment': method({
    summary:
      'Treatment suggestions for a finished reading from the versioned, cited table (adult or child by age), with the disclaimer that a clinician decides',
    input: suggestTreatmentInputSchema,
    output: treatmentSuggestionsSchema,
    access: 'suggestions.read',
  }),
  'sync.hub.receive': method({
    summary:
      "This server as the clinic hub: store a workstation's batch of record versions and audit rows, idempotent by (workstation, record, version); answers applied, duplicate or conflict per record (role workstation)",
    input: hubReceiveInputSchema,
    output: hubReceiveOutputSchema,
    access: 'sync.receive',
  }),
  'sync.hub.records': method({
    summary:
      'Records this hub received from workstations: the version shown, every version kept, and conflicts (admin)',
    input: hubRecordsInputSchema,
    output: z.array(hubRecordViewSchema),
    access: 'audit.read',
  }),
  'sync.hub.destinations': method({
    summary: 'The Neurosphere hubs this workstation sends its records to (no passwords)',
    input: empty,
    output: z.array(hubDestinationSchema),
    access: 'system.read',
  }),
  'sync.hub.save': method({
    summary:
      'Add or change a Neurosphere hub destination (address, workstation name, account; the password goes to the OS keychain) and sync records to it (admin)',
    input: hubSaveInputSchema,
    output: syncStatusSchema,
    access: 'settings.write',
  }),
  'sync.hub.remove': method({
    summary: 'Stop syncing to a Neurosphere hub and forget its password (admin)',
    input: z.object({ id: z.string().min(1) }).strict(),
    output: syncStatusSchema,
    access: 'settings.write',
  }),
  'sync.hub.test': method({
    summary: 'Test connection to a Neurosphere hub: sign in and read its version (admin)',
    input: z.object({ id: z.string().min(1) }).strict(),
    output: hubTestResultSchema,
    access: 'settings.write',
  }),
  'dental.voiceCaptions.list': method({
    summary:
      "A dental case's voice captions: recording, transcription job and progress, raw and corrected transcript, the editable caption",
    input: z.object({ caseId: uuid }).strict(),
    output: z.array(dentalVoiceCaptionSchema),
    access: 'scans.read',
  }),
  'dental.voiceCaptions.get': method({
    summary: 'One voice caption with its transcription status and transcript',
    input: byId,
    output: dentalVoiceCaptionSchema,
    access: 'scans.read',
  }),
  'dental.voiceCaptions.retranscribe': method({
    summary:
      'Transcribe a voice caption again (after a failure or a cancel); the transcript becomes a new version of its caption',
    input: byId,
    output: dentalVoiceCaptionSchema,
    access: 'scans.write',
  }),
} as const satisfies Record<string, MethodSpec>;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;

export const METHOD_NAMES = Object.keys(methods) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
