import { z } from 'zod';
import type { Analysis } from '../../../src-shared/contract/analysis.js';
import type { Job, Patient, Scan } from '../../../src-shared/contract/entities.js';
import type { User } from '../../../src-shared/contract/entities.js';
import { parseRole, ROLES } from '../../../src-shared/roles.js';
import { formFiles } from './multipart.js';
import { optional } from './optional.js';
import { analysisJobFor, importFiles, objectBody, queryInteger } from './rest-flows.js';
import { json, RestFailure, type RestRoute } from './rest-types.js';

/**
 * The doctor/patient seed (a FastAPI service; its paths have no base, so they live under /api):
 * access + refresh tokens, the current user, and task status and cancel. Answers are
 * `{success: true, data}`; tasks are Neurosphere's jobs. Its X-ray routes are in routes-xray.ts.
 */
const seed = 'doctor-patient' as const;

/** The task kinds the seed names, for each kind of job. */
const TASK_TYPES: Readonly<Record<Job['type'], string>> = {
  'import.files': 'import',
  'analysis.run': 'analysis',
  'visualization.build': 'visualization',
  'reading.run': 'xray-reading',
  'voice.transcribe': 'transcription',
};

/** The seed's task states (upper case, IN_PROGRESS for running). */
const TASK_STATUS: Readonly<Record<Job['status'], string>> = {
  pending: 'PENDING',
  processing: 'IN_PROGRESS',
  completed: 'COMPLETED',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
};

const envelope = <T extends z.ZodType>(data: T) => z.object({ success: z.literal(true), data });

const userOut = z.object({
  id: z.string(),
  email: z.string().nullable(),
  username: z.string(),
  is_active: z.boolean(),
  is_superuser: z.boolean(),
  role: z.string(),
  created_at: z.string(),
  last_login_at: z.string().nullable(),
});

/** The seed's role names (PATIENT, DOCTOR) where they exist; Neurosphere's otherwise. */
function seedRole(role: User['role']): string {
  return role === 'radiologist' ? 'DOCTOR' : role.toUpperCase();
}

/** An optional whole number in a JSON body (the seed's `expires_in_minutes`). */
function wholeNumber(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw new RestFailure({
    code: 'INVALID_INPUT',
    message: `${name} must be a whole number.`,
    details: { issues: [{ path: name, message: 'expected an integer' }] },
  });
}

/** A paging query parameter (`skip`, `limit`) as the seed's FastAPI service reads it. */
function pagingParam(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > max)
    throw new RestFailure({
      code: 'INVALID_INPUT',
      message: `${name} must be a whole number from 0 to ${max}.`,
      details: { issues: [{ path: name, message: 'out of range' }] },
    });
  return value;
}

const registeredOut = userOut.extend({ updated_at: z.string() });

/** A patient record as the seed's doctor sees "their patients". */
const patientOut = z.object({
  id: z.string(),
  role: z.literal('PATIENT'),
  is_active: z.boolean(),
  name: z.string(),
  patient_id: z.string().nullable(),
  birth_date: z.string().nullable(),
  gender: z.string().nullable(),
});

function userJson(user: User): z.infer<typeof userOut> {
  return {
    id: user.id,
    // Neurosphere accounts have a username, not an e-mail address.
    email: null,
    username: user.username,
    is_active: !user.disabled,
    is_superuser: user.role === 'admin',
    role: seedRole(user.role),
    created_at: user.createdAt,
    last_login_at: user.lastLoginAt,
  };
}

function text(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  return typeof value === 'string' ? value : undefined;
}

const taskIdParam = {
  name: 'task_id',
  in: 'path',
  type: 'string',
  description: 'The task (job) id, a UUID',
  required: true,
} as const;

/** The fields PUT /patients/{id} takes (the seed's, less age; birth_date instead). */
const PATIENT_UPDATE_FIELDS = ['name', 'gender', 'diagnosis', 'birth_date'] as const;

const GENDERS: Readonly<Record<string, Patient['sex']>> = {
  MALE: 'M',
  FEMALE: 'F',
  OTHER: 'O',
  M: 'M',
  F: 'F',
  O: 'O',
};
const GENDER_NAMES: Readonly<Record<string, string>> = { M: 'MALE', F: 'FEMALE', O: 'OTHER' };

/** The seed's gender (MALE, FEMALE, OTHER, any case) as Neurosphere's sex; others go on as sent. */
function sexOfGender(gender: unknown): 'M' {
  const known = typeof gender === 'string' ? GENDERS[gender.toUpperCase()] : undefined;
  // Unknown values are passed on for the contract to refuse with its own message.
  return (known ?? gender) as 'M';
}

const patientDetailsOut = z.object({
  id: z.string(),
  name: z.string(),
  age: z.number().int().nullable(),
  gender: z.string().nullable(),
  diagnosis: z.string(),
  birth_date: z.string().nullable(),
  patient_id: z.string().nullable(),
});

/** Whole years from a YYYY-MM-DD birth date to today (UTC). */
function ageOf(birthDate: string | null, today = new Date()): number | null {
  if (birthDate === null) return null;
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const hadBirthday =
    today.getUTCMonth() + 1 > month ||
    (today.getUTCMonth() + 1 === month && today.getUTCDate() >= day);
  return today.getUTCFullYear() - year - (hadBirthday ? 0 : 1);
}

function patientDetailsJson(patient: Patient): z.infer<typeof patientDetailsOut> {
  return {
    id: patient.id,
    name: patient.name,
    age: ageOf(patient.birthDate),
    gender: patient.sex === null ? null : (GENDER_NAMES[patient.sex] ?? patient.sex),
    diagnosis: patient.notes,
    birth_date: patient.birthDate,
    patient_id: patient.mrn,
  };
}

/** The seed's result: pathologies found and the model's confidence, by the kind of findings. */
function resultOf(analysis: Analysis): { pathologies: string[]; confidence: number | null } {
  const findings = analysis.findings;
  switch (findings.kind) {
    case 'brain-tumour':
      return {
        pathologies: findings.tumourDetected ? ['tumour'] : [],
        confidence: findings.overallConfidence,
      };
    case 'chest-xray':
      return {
        pathologies: findings.label === 'normal' ? [] : [findings.label],
        confidence: findings.probabilities[findings.label],
      };
    default:
      return { pathologies: [], confidence: null };
  }
}

function scanDetailsJson(scan: Scan, analysis: Analysis | null) {
  return {
    id: scan.id,
    patient_id: scan.patientId,
    scan_type: scan.modality,
    status: scan.status.toUpperCase(),
    result: analysis === null ? null : resultOf(analysis),
    created_at: scan.createdAt,
    completed_at: analysis?.createdAt ?? null,
  };
}

export const doctorPatientRoutes: readonly RestRoute[] = [
  {
    verb: 'POST',
    path: '/api/auth/login',
    seed,
    summary:
      'Log in with form fields email (a Neurosphere username) and password; access + refresh tokens',
    uses: ['auth.tokens'],
    access: 'public',
    body: 'form',
    response: envelope(
      z.object({
        access_token: z.string(),
        refresh_token: z.string(),
        token_type: z.literal('bearer'),
      }),
    ),
    async handle(call) {
      const body = objectBody(call.body);
      const username = text(body, 'email') ?? text(body, 'username');
      const password = text(body, 'password');
      if (username === undefined || password === undefined)
        throw new RestFailure({
          code: 'INVALID_INPUT',
          message: 'Send the fields email (your Neurosphere username) and password.',
          details: {
            issues: [{ path: username === undefined ? 'email' : 'password', message: 'required' }],
          },
        });
      const pair = await call.call('auth.tokens', { username, password });
      return json({
        success: true,
        data: {
          access_token: pair.accessToken,
          refresh_token: pair.refreshToken,
          token_type: pair.tokenType,
        },
      });
    },
  },
  {
    verb: 'POST',
    path: '/api/auth/refresh-token',
    seed,
    summary: 'A new access token; the refresh token comes as the bearer token',
    uses: ['auth.refresh'],
    // The bearer token here is the refresh token, checked by auth.refresh itself.
    access: 'public',
    response: envelope(z.object({ access_token: z.string(), token_type: z.literal('bearer') })),
    async handle(call) {
      if (call.token === null)
        throw new RestFailure({
          code: 'UNAUTHENTICATED',
          message: 'Send the refresh token as "Authorization: Bearer <refresh_token>".',
        });
      const refreshed = await call.call('auth.refresh', { refreshToken: call.token });
      return json({
        success: true,
        data: { access_token: refreshed.accessToken, token_type: refreshed.tokenType },
      });
    },
  },
  {
    verb: 'GET',
    path: '/api/users/me',
    seed,
    summary: 'The current user',
    uses: ['auth.whoami'],
    access: 'bearer',
    response: envelope(userOut),
    async handle(call) {
      const { user } = await call.call('auth.whoami', {});
      return json({ success: true, data: userJson(user) });
    },
  },
  {
    verb: 'GET',
    path: '/api/tasks/status/{task_id}',
    seed,
    summary: 'The status and progress (0-100) of a task',
    uses: ['jobs.get', 'readings.get'],
    access: 'bearer',
    params: [taskIdParam],
    response: envelope(
      z.object({
        task_id: z.string(),
        status: z.string(),
        progress: z.number().int(),
        message: z.string().nullable(),
        result: z.object({ type: z.string(), data: z.unknown() }).nullable(),
      }),
    ),
    async handle(call) {
      const job = await call.call('jobs.get', { id: call.params['task_id'] as string });
      // A finished X-ray reading answers the reading itself (text, figures, suggestions).
      const reading =
        job.type === 'reading.run' && job.status === 'completed'
          ? await call.call('readings.get', { id: job.id })
          : null;
      return json({
        success: true,
        data: {
          task_id: job.id,
          status: TASK_STATUS[job.status],
          progress: Math.round(job.progress * 100),
          message: job.error?.message ?? job.stage,
          result:
            job.status === 'completed'
              ? {
                  type: TASK_TYPES[job.type],
                  data: reading ?? job.result ?? {},
                }
              : null,
        },
      });
    },
  },
  {
    verb: 'POST',
    path: '/api/tasks/cancel/{task_id}',
    seed,
    summary: 'Cancel a pending or running task',
    uses: ['jobs.cancel'],
    access: 'bearer',
    params: [taskIdParam],
    response: envelope(z.object({ task_id: z.string(), status: z.string(), message: z.string() })),
    async handle(call) {
      const job = await call.call('jobs.cancel', { id: call.params['task_id'] as string });
      return json({
        success: true,
        data: {
          task_id: job.id,
          status: TASK_STATUS[job.status],
          message:
            job.status === 'cancelled'
              ? 'Task cancelled successfully'
              : 'Cancellation requested: the task stops at its next checkpoint.',
        },
      });
    },
  },
  {
    verb: 'POST',
    path: '/api/auth/register',
    seed,
    summary:
      'Register with an invitation: email (a Neurosphere username), password and invitation (its token or short code); the role comes from the invitation',
    uses: ['auth.register'],
    access: 'public',
    body: 'json',
    response: envelope(registeredOut),
    async handle(call) {
      const body = objectBody(call.body);
      const username = text(body, 'email') ?? text(body, 'username');
      const password = text(body, 'password');
      const invitation = text(body, 'invitation') ?? text(body, 'invitation_code');
      const missing = [
        username === undefined && 'email',
        password === undefined && 'password',
        invitation === undefined && 'invitation',
      ].filter((name): name is string => name !== false);
      if (username === undefined || password === undefined || invitation === undefined)
        throw new RestFailure({
          code: 'INVALID_INPUT',
          message:
            'Send email (the username you choose), password and invitation (the code or token your administrator gave you).',
          details: { issues: missing.map((path) => ({ path, message: 'required' })) },
        });
      const displayName = text(body, 'display_name');
      const user = await call.call('auth.register', {
        invitation,
        username,
        password,
        ...(displayName !== undefined && { displayName }),
      });
      return json({ success: true, data: { ...userJson(user), updated_at: user.createdAt } });
    },
  },
  {
    verb: 'POST',
    path: '/api/patients/create-connect-token',
    seed,
    summary:
      'A one-time connect code: a doctor’s for a patient to enter, or a patient account’s for a doctor to enter',
    uses: ['careTeam.createCode'],
    access: 'bearer',
    body: 'json',
    response: envelope(
      z.object({ token: z.string(), expires_at: z.string(), doctor_id: z.string().nullable() }),
    ),
    async handle(call) {
      const body = call.body === undefined ? {} : objectBody(call.body);
      const minutes = wholeNumber(body, 'expires_in_minutes');
      const made = await call.call(
        'careTeam.createCode',
        minutes === undefined ? {} : { expiresInMinutes: minutes },
      );
      return json({
        success: true,
        data: { token: made.code, expires_at: made.expiresAt, doctor_id: made.doctorId },
      });
    },
  },
  {
    verb: 'POST',
    path: '/api/patients/connect-doctor/{connect_token}',
    seed,
    summary:
      'Connect a patient and a doctor with the other side’s code; answers the doctor (and the patient record)',
    uses: ['careTeam.connect'],
    access: 'bearer',
    params: [
      {
        name: 'connect_token',
        in: 'path',
        type: 'string',
        description: 'The code from create-connect-token',
        required: true,
      },
    ],
    response: envelope(
      z.object({
        id: z.string(),
        role: z.literal('DOCTOR'),
        is_active: z.boolean(),
        email: z.null(),
        username: z.string(),
        patient_id: z.string(),
      }),
    ),
    async handle(call) {
      const link = await call.call('careTeam.connect', {
        code: call.params['connect_token'] as string,
      });
      return json({
        success: true,
        data: {
          id: link.doctor.id,
          role: 'DOCTOR',
          is_active: !link.doctor.disabled,
          email: null,
          username: link.doctor.username,
          patient_id: link.patientId,
        },
      });
    },
  },
  {
    verb: 'GET',
    path: '/api/patients/',
    seed,
    summary: 'The patients assigned to the calling doctor (skip, limit)',
    uses: ['careTeam.myPatients'],
    access: 'bearer',
    params: [
      { name: 'skip', in: 'query', type: 'integer', description: 'Patients to skip (default 0)' },
      {
        name: 'limit',
        in: 'query',
        type: 'integer',
        description: 'At most this many (default 100, at most 1000)',
      },
    ],
    response: envelope(z.array(patientOut)),
    async handle(call) {
      const skip = pagingParam(call.query, 'skip', 0, 1_000_000);
      const limit = pagingParam(call.query, 'limit', 100, 1000);
      const patients = await call.call('careTeam.myPatients', {});
      return json({
        success: true,
        data: patients.slice(skip, skip + limit).map((p) => ({
          id: p.id,
          role: 'PATIENT' as const,
          is_active: true,
          name: p.name,
          patient_id: p.mrn,
          birth_date: p.birthDate,
          gender: p.sex,
        })),
      });
    },
  },
  {
    verb: 'PUT',
    path: '/api/users/me',
    seed,
    summary:
      'Change your own password: password (the new one) and current_password; your other sessions end',
    uses: ['auth.changePassword'],
    access: 'bearer',
    body: 'json',
    response: envelope(userOut),
    async handle(call) {
      const body = objectBody(call.body);
      if (body['email'] !== undefined)
        throw new RestFailure({
          code: 'INVALID_INPUT',
          message:
            'Neurosphere accounts have no e-mail address (they log in with a username): leave out "email".',
          details: { issues: [{ path: 'email', message: 'not kept' }] },
        });
      const newPassword = text(body, 'password');
      const currentPassword = text(body, 'current_password');
      if (newPassword === undefined || currentPassword === undefined)
        throw new RestFailure({
          code: 'INVALID_INPUT',
          message:
            'Send "password" (the new password) and "current_password": a password is changed only by someone who knows the current one.',
          details: {
            issues: [
              {
                path: newPassword === undefined ? 'password' : 'current_password',
                message: 'required',
              },
            ],
          },
        });
      const user = await call.call('auth.changePassword', { currentPassword, newPassword });
      return json({ success: true, data: userJson(user) });
    },
  },
  {
    verb: 'GET',
    path: '/api/users',
    seed,
    summary: 'Accounts, by username, with role and active filters (administrators only)',
    uses: ['users.list'],
    access: 'bearer',
    params: [
      { name: 'skip', in: 'query', type: 'integer', description: 'Accounts to skip (default 0)' },
      {
        name: 'limit',
        in: 'query',
        type: 'integer',
        description: 'Accounts to answer, 1-1000 (default 100)',
      },
      {
        name: 'role',
        in: 'query',
        type: 'string',
        description: "A role, in the seed's names (PATIENT, DOCTOR, ADMIN) or Neurosphere's",
      },
      { name: 'is_active', in: 'query', type: 'string', description: 'true or false' },
    ],
    response: envelope(z.array(userOut)),
    async handle(call) {
      const roleText = call.query.get('role');
      const role = roleText === null ? undefined : parseRole(roleText);
      if (roleText !== null && role === undefined)
        throw new RestFailure({
          code: 'INVALID_INPUT',
          message: `There is no role "${roleText}": use one of ${ROLES.map((r) => r.toUpperCase()).join(', ')}.`,
          details: { issues: [{ path: 'role', message: 'unknown role' }] },
        });
      const active = call.query.get('is_active');
      if (active !== null && active !== 'true' && active !== 'false')
        throw new RestFailure({
          code: 'INVALID_INPUT',
          message: 'The query parameter "is_active" must be true or false.',
          details: { issues: [{ path: 'is_active', message: 'expected true or false' }] },
        });
      const users = await call.call('users.list', {
        ...(role !== undefined && { role }),
        ...(active !== null && { active: active === 'true' }),
        offset: queryInteger(call.query, 'skip', 0, 0, 1_000_000),
        limit: queryInteger(call.query, 'limit', 100, 1, 1000),
      });
      return json({ success: true, data: users.map(userJson) });
    },
  },
  {
    verb: 'PUT',
    path: '/api/patients/{patient_user_id}',
    seed,
    summary:
      "Update a patient's details: name, gender, diagnosis (the record's notes), birth_date; age is refused (a birth date is kept)",
    uses: ['patients.update'],
    access: 'bearer',
    body: 'json',
    params: [
      {
        name: 'patient_user_id',
        in: 'path',
        type: 'string',
        description: 'The patient record id (a UUID), as GET /api/patients/ lists it',
        required: true,
      },
    ],
    response: envelope(patientDetailsOut),
    async handle(call) {
      const body = objectBody(call.body);
      const unknown = Object.keys(body).filter(
        (key) => !(PATIENT_UPDATE_FIELDS as readonly string[]).includes(key),
      );
      if (body['age'] !== undefined)
        throw new RestFailure({
          code: 'INVALID_INPUT',
          message:
            'Neurosphere keeps a birth date, not an age (an age is wrong a year later): send birth_date (YYYY-MM-DD) instead of age.',
          details: { issues: [{ path: 'age', message: 'not kept; send birth_date' }] },
        });
      if (unknown.length > 0)
        throw new RestFailure({
          code: 'INVALID_INPUT',
          message: `Neurosphere does not keep ${unknown.join(', ')} for a patient: send only ${PATIENT_UPDATE_FIELDS.join(', ')}.`,
          details: { issues: unknown.map((path) => ({ path, message: 'not kept' })) },
        });
      // Passed on as they came: the contract validates them (a name, a sex, a YYYY-MM-DD date).
      const patient = await call.call('patients.update', {
        id: call.params['patient_user_id'] as string,
        ...(body['name'] !== undefined && { name: body['name'] as string }),
        ...(body['gender'] !== undefined && { sex: sexOfGender(body['gender']) }),
        ...(body['diagnosis'] !== undefined && { notes: body['diagnosis'] as string }),
        ...(body['birth_date'] !== undefined && { birthDate: body['birth_date'] as string }),
      });
      return json({ success: true, data: patientDetailsJson(patient) });
    },
  },
  // The seed's /scans/ routes, under the seed's own prefix: /api/scans and /api/scans/{id} are
  // the Neurosphere seed's (other fields, other errors), so one path cannot serve both.
  {
    verb: 'POST',
    path: '/api/doctor-patient/scans/',
    seed,
    summary:
      "Upload a scan (multipart file); it is imported, then analysed: {scan_id, task_token} (the analysis task's id for /api/tasks/status)",
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
    body: 'multipart',
    response: envelope(z.object({ scan_id: z.string(), task_token: z.string() })),
    async handle(call) {
      const files = formFiles(call.form as FormData, 'file');
      if (files.length > 1)
        throw new RestFailure({
          code: 'INVALID_INPUT',
          message: 'Send one scan per request, as the form field "file".',
          details: { issues: [{ path: 'file', message: 'one file' }] },
        });
      const { scanIds } = await importFiles(call, files);
      const scanId = scanIds[0] as string;
      const task = await analysisJobFor(call, scanId);
      return json({ success: true, data: { scan_id: scanId, task_token: task.id } });
    },
  },
  {
    verb: 'GET',
    path: '/api/doctor-patient/scans/{scan_id}',
    seed,
    summary: 'One scan: type, status (upper case) and its latest result (pathologies, confidence)',
    uses: ['scans.get', 'analysis.get'],
    access: 'bearer',
    params: [
      {
        name: 'scan_id',
        in: 'path',
        type: 'string',
        description: 'The scan id (a UUID)',
        required: true,
      },
    ],
    response: envelope(
      z.object({
        id: z.string(),
        patient_id: z.string().nullable(),
        scan_type: z.string().nullable(),
        status: z.string(),
        result: z
          .object({ pathologies: z.array(z.string()), confidence: z.number().nullable() })
          .nullable(),
        created_at: z.string(),
        completed_at: z.string().nullable(),
      }),
    ),
    async handle(call) {
      const { scan } = await call.call('scans.get', { id: call.params['scan_id'] as string });
      const analysis = await optional(call.call('analysis.get', { scanId: scan.id }));
      return json({ success: true, data: scanDetailsJson(scan, analysis ?? null) });
    },
  },
];
