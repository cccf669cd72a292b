import { httpStatusFor, type AppErrorData } from '../../../src-shared/errors.js';
import type { SeedName } from './rest-types.js';

/** The seeds whose frameworks answer a schema violation with 422 (FastAPI); the others say 400. */
const VALIDATION_422: ReadonlySet<SeedName> = new Set(['medical-imaging-ai', 'doctor-patient']);

/** The status of a contract error on a route of this seed. */
export function restStatusFor(seed: SeedName, error: AppErrorData, explicit?: number): number {
  if (explicit !== undefined) return explicit;
  if (error.code === 'INVALID_INPUT' && error.details?.['issues'] !== undefined)
    return VALIDATION_422.has(seed) ? 422 : 400;
  // A client that gave up is not an HTTP status; to a REST client it is a conflict with the job.
  if (error.code === 'CANCELLED') return 409;
  return httpStatusFor(error.code);
}

/** The title the Medical Imaging AI seed puts in `error` ("Validation Error"). */
function titleOf(status: number): string {
  switch (status) {
    case 400:
      return 'Bad Request';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'Not Found';
    case 409:
      return 'Conflict';
    case 413:
      return 'Payload Too Large';
    case 415:
      return 'Unsupported Media Type';
    case 422:
      return 'Validation Error';
    case 429:
      return 'Too Many Requests';
    case 501:
      return 'Not Implemented';
    default:
      return status >= 500 ? 'Server Error' : 'Error';
  }
}

/** Details as one line of text, for the seed whose `details` is a string. */
function detailsText(error: AppErrorData): string | undefined {
  const issues = error.details?.['issues'];
  if (Array.isArray(issues))
    return issues
      .map(
        (issue: { path?: unknown; message?: unknown }) =>
          `${String(issue.path)}: ${String(issue.message)}`,
      )
      .join('; ');
  if (error.correlationId !== undefined) return `reference ${error.correlationId}`;
  return undefined;
}

/**
 * An error body in the format of the route's seed:
 * - Brain Tumor Detection: `{success: false, error, code, details}` (its "Standard Error Response");
 * - Medical Imaging AI: `{error, message, details, timestamp}` (its "Error Response Format");
 * - doctor/patient: `{success: false, error: {code, message, details}}` (its success envelope);
 * - Neurosphere (the seed gives none): `{error: {code, message, details}}`.
 * The code is always the contract's error code, so clients can branch on it.
 */
export function errorBody(
  seed: SeedName,
  status: number,
  error: AppErrorData,
  now: string,
): unknown {
  const details =
    error.details ??
    (error.correlationId === undefined ? undefined : { reference: error.correlationId });
  switch (seed) {
    case 'brain-tumor-detection': {
      const text = detailsText(error);
      return {
        success: false,
        error: error.message,
        code: error.code,
        ...(text !== undefined && { details: text }),
      };
    }
    case 'medical-imaging-ai':
      return {
        error: titleOf(status),
        message: error.message,
        details: { code: error.code, ...details },
        timestamp: now,
      };
    case 'doctor-patient':
      return {
        success: false,
        error: {
          code: error.code,
          message: error.message,
          ...(details !== undefined && { details }),
        },
      };
    case 'neurosphere':
      return {
        error: {
          code: error.code,
          message: error.message,
          ...(details !== undefined && { details }),
        },
      };
  }
}
