import { z } from 'zod';
import type { Job } from '../../../src-shared/contract/entities.js';
import type { User } from '../../../src-shared/contract/entities.js';
import { parseRole, ROLES } from '../../../src-shared/roles.js';
import { objectBody, queryInteger } from './rest-flows.js';
import { json, RestFailure, type RestRoute } from './rest-types.js';

/**
 * The doctor/patient seed (a FastAPI service; its paths have no base, so they live under /api):
 * access + refresh tokens, the current user, and task status and cancel. Answers are
 * `{success: true, data}`; tasks are Neurosphere's jobs. Its X-ray routes come with the X-ray
 * issue.
 */
const seed = 'doctor-patient' as const;

/** The task kinds the seed names, for each kind of job. */
const TASK_TYPES: Readonly<Record<Job['type'], string>> = {
  'import.files': 'import',
  'analysis.run': 'analysis',
  'visualization.build': 'visualization',
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
    uses: ['jobs.get'],
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
                  data: job.result ?? {},
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
];
