import { z } from 'zod';
import type { Job } from '../../../src-shared/contract/entities.js';
import type { User } from '../../../src-shared/contract/entities.js';
import { objectBody } from './rest-flows.js';
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
];
