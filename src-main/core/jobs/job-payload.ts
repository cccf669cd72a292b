import {
  jobPayloadSchemas,
  type JobPayload,
  type JobType,
} from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';

/** A payload checked against its kind's schema, or a clear error naming what is wrong. */
export function parseJobPayload<T extends JobType>(type: T, payload: unknown): JobPayload<T> {
  const parsed = jobPayloadSchemas[type].safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where =
      issue === undefined ? '' : ` (${issue.path.join('.') || 'payload'}: ${issue.message})`;
    throw new AppError('INVALID_INPUT', `The ${type} job's payload is not valid${where}.`);
  }
  return parsed.data as JobPayload<T>;
}
