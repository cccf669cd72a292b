import { z } from 'zod';
import { brainTumourFindings } from '../../../src-shared/contract/analysis.js';
import type { Patient, Scan } from '../../../src-shared/contract/entities.js';
import type { ScanWithAnalysis } from '../../../src-shared/contract/listings.js';
import type { Report } from '../../../src-shared/contract/reports.js';
import { formFiles, formText } from './multipart.js';
import { optional } from './optional.js';
import { importFiles, objectBody, queryInteger } from './rest-flows.js';
import { json, RestFailure, type RestCall, type RestRoute } from './rest-types.js';

/**
 * The Brain Tumor Detection seed (a Flask back end): its paths under /api, snake_case fields,
 * `{success: true, …}` answers and `{success: false, error, code, details}` errors. Its integer
 * ids are Neurosphere's UUIDs; its admin and patient portals are Neurosphere's accounts.
 */
const seed = 'brain-tumor-detection' as const;

const patientOut = z.object({
  id: z.string(),
  patient_id: z.string().nullable(),
  name: z.string(),
  gender: z.string().nullable(),
  birth_date: z.string().nullable(),
  notes: z.string(),
  scan_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});

const scanOut = z.object({
  id: z.string(),
  scan_id: z.string(),
  patient_id: z.string().nullable(),
  original_filename: z.string().nullable(),
  status: z.string(),
  prediction: z.string().nullable(),
  confidence: z.number().nullable(),
  created_at: z.string(),
});

const reportOut = z.object({
  id: z.string(),
  report_id: z.string(),
  patient_id: z.string().nullable(),
  scan_id: z.string(),
  version: z.number().int(),
  status: z.string(),
  download_url: z.string(),
  created_at: z.string(),
});

function patientJson(patient: Patient): z.infer<typeof patientOut> {
  return {
    id: patient.id,
    patient_id: patient.mrn,
    name: patient.name,
    gender: patient.sex,
    birth_date: patient.birthDate,
    notes: patient.notes,
    scan_count: patient.scanCount,
    created_at: patient.createdAt,
    updated_at: patient.updatedAt,
  };
}

async function scanJson(call: RestCall, scan: Scan): Promise<z.infer<typeof scanOut>> {
  const analysis = await optional(call.call('analysis.get', { scanId: scan.id }));
  return scanWithAnalysisJson({ scan, analysis: analysis ?? null });
}

function scanWithAnalysisJson({ scan, analysis }: ScanWithAnalysis): z.infer<typeof scanOut> {
  const findings = analysis === null ? null : brainTumourFindings(analysis);
  return {
    id: scan.id,
    scan_id: scan.id,
    patient_id: scan.patientId,
    original_filename: scan.description,
    status: scan.status,
    prediction: findings === null ? null : findings.tumourDetected ? 'tumor' : 'no_tumor',
    confidence: findings?.overallConfidence ?? null,
    created_at: scan.createdAt,
  };
}

function reportJson(report: Report): z.infer<typeof reportOut> {
  return {
    id: report.id,
    report_id: report.id,
    patient_id: report.patientId,
    scan_id: report.scanId,
    version: report.version,
    status: report.status,
    download_url: `/api/report/download/${report.id}`,
    created_at: report.createdAt,
  };
}

const idParam = {
  name: 'id',
  in: 'path',
  type: 'string',
  description: 'The patient id (a UUID)',
  required: true,
} as const;

/** The seed's patient fields that Neurosphere keeps; others (email, phone, address) are refused. */
const PATIENT_FIELDS = ['name', 'patient_id', 'gender', 'birth_date', 'notes'] as const;

function patientInput(body: Record<string, unknown>) {
  const unknown = Object.keys(body).filter(
    (key) => !(PATIENT_FIELDS as readonly string[]).includes(key),
  );
  if (unknown.length > 0)
    throw new RestFailure(
      {
        code: 'INVALID_INPUT',
        message: `Neurosphere does not keep ${unknown.join(', ')} for a patient: send only ${PATIENT_FIELDS.join(', ')}.`,
      },
      400,
    );
  // Passed on as they came: the contract validates them (a name, a sex of M/F/O, a YYYY-MM-DD date).
  return {
    name: body['name'] as string,
    ...(body['patient_id'] !== undefined && { mrn: body['patient_id'] as string }),
    ...(body['gender'] !== undefined && { sex: body['gender'] as 'M' }),
    ...(body['birth_date'] !== undefined && { birthDate: body['birth_date'] as string }),
    ...(body['notes'] !== undefined && { notes: body['notes'] as string }),
  };
}

const filenameParam = {
  name: 'filename',
  in: 'path',
  type: 'string',
  description: "The report's file name, <report_id>.pdf (the report id alone is taken too)",
  required: true,
} as const;

const REPORT_FILE_NAME =
  /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\.pdf)?$/i;

/** The file a report's PDF is served as (the seed's report_path, by id). */
function reportFileUrl(reportId: string): string {
  return `/api/report/file/${reportId}.pdf`;
}

/** The report id in a file name `<report_id>.pdf`; any other name is no report's (404). */
function reportIdOfFileName(fileName: string): string {
  const found = REPORT_FILE_NAME.exec(fileName);
  if (found === null)
    throw new RestFailure({
      code: 'NOT_FOUND',
      message: `There is no report file "${fileName}": report files are named <report_id>.pdf (see download_url of GET /api/admin/reports).`,
    });
  return (found[1] as string).toLowerCase();
}

export const brainTumorRoutes: readonly RestRoute[] = [
  {
    verb: 'POST',
    path: '/api/admin/login',
    seed,
    summary: 'Log in (any Neurosphere account) and receive a bearer token',
    uses: ['auth.login'],
    access: 'public',
    body: 'json',
    response: z.object({
      success: z.literal(true),
      token: z.string(),
      user: z.object({ id: z.string(), username: z.string(), role: z.string() }),
    }),
    async handle(call) {
      const body = objectBody(call.body);
      const session = await call.call('auth.login', {
        username: body['username'] as string,
        password: body['password'] as string,
      });
      const { id, username, role } = session.user;
      return json({ success: true, token: session.token, user: { id, username, role } });
    },
  },
  {
    verb: 'GET',
    path: '/api/admin/dashboard/stats',
    seed,
    summary: 'Dashboard statistics',
    uses: ['dashboard.stats'],
    access: 'bearer',
    response: z.object({
      success: z.literal(true),
      stats: z.object({
        total_patients: z.number().int(),
        total_scans: z.number().int(),
        tumor_detected: z.number().int(),
        no_tumor: z.number().int(),
        scans_this_month: z.number().int(),
      }),
    }),
    async handle(call) {
      const stats = await call.call('dashboard.stats', {});
      return json({
        success: true,
        stats: {
          total_patients: stats.totalPatients,
          total_scans: stats.totalScans,
          tumor_detected: stats.studiesWithTumour,
          no_tumor: stats.studiesAnalysed - stats.studiesWithTumour,
          scans_this_month: stats.scansThisMonth,
        },
      });
    },
  },
  {
    verb: 'GET',
    path: '/api/admin/patients',
    seed,
    summary: 'Patients, with search and paging',
    uses: ['patients.list'],
    access: 'bearer',
    params: [
      { name: 'search', in: 'query', type: 'string', description: 'Name or patient id contains' },
      { name: 'page', in: 'query', type: 'integer', description: 'Page from 1 (default 1)' },
      {
        name: 'limit',
        in: 'query',
        type: 'integer',
        description: 'Patients per page, 1-500 (default 50)',
      },
    ],
    response: z.object({
      success: z.literal(true),
      patients: z.array(patientOut),
      total: z.number().int(),
    }),
    async handle(call) {
      const search = call.query.get('search');
      const page = await call.call('patients.list', {
        ...(search !== null && { search }),
        page: queryInteger(call.query, 'page', 1, 1, 1_000_000),
        limit: queryInteger(call.query, 'limit', 50, 1, 500),
      });
      return json({ success: true, patients: page.items.map(patientJson), total: page.total });
    },
  },
  {
    verb: 'POST',
    path: '/api/admin/patients',
    seed,
    summary: 'Create a patient',
    uses: ['patients.create'],
    access: 'bearer',
    successStatus: 201,
    body: 'json',
    response: z.object({ success: z.literal(true), patient: patientOut }),
    async handle(call) {
      const patient = await call.call('patients.create', patientInput(objectBody(call.body)));
      return json({ success: true, patient: patientJson(patient) }, 201);
    },
  },
  {
    verb: 'GET',
    path: '/api/admin/patients/{id}',
    seed,
    summary: 'One patient',
    uses: ['patients.get'],
    access: 'bearer',
    params: [idParam],
    response: z.object({ success: z.literal(true), patient: patientOut }),
    async handle(call) {
      const patient = await call.call('patients.get', { id: call.params['id'] as string });
      return json({ success: true, patient: patientJson(patient) });
    },
  },
  {
    verb: 'GET',
    path: '/api/admin/patients/{id}/scans',
    seed,
    summary: "A patient's scans with their prediction",
    uses: ['scans.listWithAnalyses'],
    access: 'bearer',
    params: [idParam],
    response: z.object({
      success: z.literal(true),
      scans: z.array(scanOut),
      total: z.number().int(),
    }),
    async handle(call) {
      const page = await call.call('scans.listWithAnalyses', {
        patientId: call.params['id'] as string,
        limit: 500,
      });
      return json({
        success: true,
        scans: page.items.map(scanWithAnalysisJson),
        total: page.total,
      });
    },
  },
  {
    verb: 'GET',
    path: '/api/admin/patients/{id}/reports',
    seed,
    summary: "Every version of a patient's reports, newest first",
    uses: ['reports.listForPatient'],
    access: 'bearer',
    params: [idParam],
    response: z.object({ success: z.literal(true), reports: z.array(reportOut) }),
    async handle(call) {
      const reports = await call.call('reports.listForPatient', {
        patientId: call.params['id'] as string,
      });
      return json({ success: true, reports: reports.map(reportJson) });
    },
  },
  {
    verb: 'POST',
    path: '/api/admin/scans/upload',
    seed,
    summary:
      'Upload scans of a patient (form fields patient_id and files); they are imported and analysed',
    uses: [
      'uploads.begin',
      'uploads.put',
      'uploads.commit',
      'jobs.get',
      'import.report',
      'scans.get',
      'analysis.get',
    ],
    access: 'bearer',
    successStatus: 201,
    body: 'multipart',
    response: z.object({ success: z.literal(true), scans: z.array(scanOut) }),
    async handle(call) {
      const form = call.form as FormData;
      const patientId = formText(form, 'patient_id');
      const files = [...formFiles(form, 'files'), ...formFiles(form, 'file')];
      const { scanIds } = await importFiles(call, files, patientId);
      const scans = [];
      for (const id of scanIds)
        scans.push(await scanJson(call, (await call.call('scans.get', { id })).scan));
      return json({ success: true, scans }, 201);
    },
  },
  {
    verb: 'POST',
    path: '/api/report/generate',
    seed,
    summary: 'Start a draft report of a scan from its latest analysis (body: {scan_id})',
    uses: ['reports.create'],
    access: 'bearer',
    successStatus: 201,
    body: 'json',
    response: z.object({ success: z.literal(true), report: reportOut }),
    async handle(call) {
      const body = objectBody(call.body);
      const report = await call.call('reports.create', { scanId: body['scan_id'] as string });
      return json({ success: true, report: reportJson(report) }, 201);
    },
  },
  {
    verb: 'GET',
    path: '/api/report/download/{report_id}',
    seed,
    summary: 'One version of a report as PDF',
    uses: ['reports.pdf'],
    access: 'bearer',
    params: [
      {
        name: 'report_id',
        in: 'path',
        type: 'string',
        description: 'The report id (a UUID)',
        required: true,
      },
    ],
    response: { file: 'application/pdf' },
    async handle(call) {
      const reply = await call.stream('reports.pdf', {
        reportId: call.params['report_id'] as string,
      });
      return { kind: 'stream', name: 'reports.pdf', reply };
    },
  },
  {
    verb: 'GET',
    path: '/api/admin/reports',
    seed,
    summary: 'Reports of every patient, newest first (the current version of each by default)',
    uses: ['reports.list'],
    access: 'bearer',
    params: [
      {
        name: 'status',
        in: 'query',
        type: 'string',
        description: 'draft or final (default both)',
      },
      {
        name: 'patient_id',
        in: 'query',
        type: 'string',
        description: "Only this patient's reports (the patient's id, a UUID)",
      },
      {
        name: 'versions',
        in: 'query',
        type: 'string',
        description: 'current (default: the newest version of each report) or all',
      },
      { name: 'page', in: 'query', type: 'integer', description: 'Page from 1 (default 1)' },
      {
        name: 'limit',
        in: 'query',
        type: 'integer',
        description: 'Reports per page, 1-500 (default 50)',
      },
    ],
    response: z.object({
      success: z.literal(true),
      reports: z.array(reportOut),
      total: z.number().int(),
    }),
    async handle(call) {
      const status = call.query.get('status');
      const patientId = call.query.get('patient_id');
      const versions = call.query.get('versions');
      // Passed on as they came: the contract validates them (a status, a UUID, current/all).
      const page = await call.call('reports.list', {
        ...(status !== null && { status: status as Report['status'] }),
        ...(patientId !== null && { patientId }),
        ...(versions !== null && { versions: versions as 'current' }),
        page: queryInteger(call.query, 'page', 1, 1, 1_000_000),
        limit: queryInteger(call.query, 'limit', 50, 1, 500),
      });
      return json({ success: true, reports: page.items.map(reportJson), total: page.total });
    },
  },
  // The patient portal: a patient account sees only the patient record it is linked to (the
  // core's data scope answers 404 for anyone else's); staff accounts may use it too.
  {
    verb: 'POST',
    path: '/api/patient/login',
    seed,
    summary:
      "Log in to the patient portal; patient_id is the account's own patient record (null for staff)",
    uses: ['auth.login'],
    access: 'public',
    body: 'json',
    response: z.object({
      success: z.literal(true),
      token: z.string(),
      user: z.object({ id: z.string(), username: z.string(), role: z.string() }),
      patient_id: z.string().nullable(),
    }),
    async handle(call) {
      const body = objectBody(call.body);
      const session = await call.call('auth.login', {
        username: body['username'] as string,
        password: body['password'] as string,
      });
      const { id, username, role, patientId } = session.user;
      return json({
        success: true,
        token: session.token,
        user: { id, username, role },
        patient_id: patientId,
      });
    },
  },
  {
    verb: 'GET',
    path: '/api/patient/{id}',
    seed,
    summary: "The patient's own record",
    uses: ['patients.get'],
    access: 'bearer',
    params: [idParam],
    response: z.object({ success: z.literal(true), patient: patientOut }),
    async handle(call) {
      const patient = await call.call('patients.get', { id: call.params['id'] as string });
      return json({ success: true, patient: patientJson(patient) });
    },
  },
  {
    verb: 'GET',
    path: '/api/patient/{id}/scans',
    seed,
    summary: "The patient's own scans with their prediction",
    uses: ['scans.listWithAnalyses'],
    access: 'bearer',
    params: [idParam],
    response: z.object({
      success: z.literal(true),
      scans: z.array(scanOut),
      total: z.number().int(),
    }),
    async handle(call) {
      const page = await call.call('scans.listWithAnalyses', {
        patientId: call.params['id'] as string,
        limit: 500,
      });
      return json({
        success: true,
        scans: page.items.map(scanWithAnalysisJson),
        total: page.total,
      });
    },
  },
  {
    verb: 'GET',
    path: '/api/patient/{id}/reports',
    seed,
    summary:
      "The patient's own signed reports, every signed version (drafts are not shown), newest first",
    uses: ['reports.list'],
    access: 'bearer',
    params: [idParam],
    response: z.object({
      success: z.literal(true),
      reports: z.array(reportOut),
      total: z.number().int(),
    }),
    async handle(call) {
      const page = await call.call('reports.list', {
        patientId: call.params['id'] as string,
        status: 'final',
        // Every signed version: a signed report under amendment stays readable.
        versions: 'all',
        limit: 500,
      });
      return json({ success: true, reports: page.items.map(reportJson), total: page.total });
    },
  },
  // Served by file name: a report's file is `<report_id>.pdf` (stored by id; the PDF's own
  // download name holds the patient's name, so it is never a path).
  {
    verb: 'GET',
    path: '/api/report/file/{filename}',
    seed,
    summary: 'A report as PDF by its file name, <report_id>.pdf (the file of download_url)',
    uses: ['reports.pdf'],
    access: 'bearer',
    params: [filenameParam],
    response: { file: 'application/pdf' },
    async handle(call) {
      const reportId = reportIdOfFileName(call.params['filename'] as string);
      const reply = await call.stream('reports.pdf', { reportId });
      return { kind: 'stream', name: 'reports.pdf', reply };
    },
  },
  {
    verb: 'GET',
    path: '/api/report/download-by-filename/{filename}',
    seed,
    summary:
      "Where a report's PDF is, by its file name <report_id>.pdf: {success, download_url} (a local path, never an S3 link)",
    uses: ['reports.get'],
    access: 'bearer',
    params: [filenameParam],
    response: z.object({ success: z.literal(true), download_url: z.string() }),
    async handle(call) {
      const reportId = reportIdOfFileName(call.params['filename'] as string);
      const report = await call.call('reports.get', { id: reportId });
      return json({ success: true, download_url: reportFileUrl(report.id) });
    },
  },
  {
    verb: 'POST',
    path: '/api/scan/upload',
    seed,
    summary:
      'Upload one scan of a patient (form fields patient_id and file); imported and analysed. Needs a token (the seed has it public)',
    uses: [
      'uploads.begin',
      'uploads.put',
      'uploads.commit',
      'jobs.get',
      'import.report',
      'scans.get',
      'analysis.get',
    ],
    // Not public as in the seed: an anonymous upload would let anyone on the network add scans
    // to a patient's record. A patient account's token may upload only if its role may import.
    access: 'bearer',
    successStatus: 201,
    body: 'multipart',
    response: z.object({ success: z.literal(true), scan: scanOut }),
    async handle(call) {
      const form = call.form as FormData;
      const patientId = formText(form, 'patient_id');
      const files = formFiles(form, 'file');
      if (files.length > 1)
        throw new RestFailure(
          {
            code: 'INVALID_INPUT',
            message:
              'Send one file (field "file"); for several, use POST /api/admin/scans/upload with "files".',
          },
          400,
        );
      const { scanIds } = await importFiles(call, files, patientId === '' ? undefined : patientId);
      const { scan } = await call.call('scans.get', { id: scanIds[0] as string });
      return json({ success: true, scan: await scanJson(call, scan) }, 201);
    },
  },
];
