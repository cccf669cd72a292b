/**
 * Errors are data: every failure that crosses a boundary carries one of these codes,
 * a human message that says what is wrong and what to do, and optional details.
 */
export const ERROR_CODES = [
  'NOT_FOUND',
  'INVALID_INPUT',
  'UNSUPPORTED_FORMAT',
  'FILE_TOO_LARGE',
  'CORRUPT_FILE',
  'DUPLICATE',
  'PERMISSION_DENIED',
  'UNAUTHENTICATED',
  'MODEL_UNAVAILABLE',
  'PROVIDER_UNAVAILABLE',
  'CANCELLED',
  'CONFLICT',
  'REMOTE_UNREACHABLE',
  'DATABASE_MISMATCH',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorData {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Record<string, unknown>;
  /** Set for INTERNAL errors: the id under which the full error was logged. */
  readonly correlationId?: string;
}

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AppErrorData };

/** An expected failure, thrown inside the core and turned into data by the router. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toData(): AppErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(error: AppErrorData): Result<T> {
  return { ok: false, error };
}

/** HTTP status for each code, used by the HTTP transport. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'NOT_FOUND':
      return 404;
    case 'INVALID_INPUT':
    case 'UNSUPPORTED_FORMAT':
    case 'CORRUPT_FILE':
      return 400;
    case 'FILE_TOO_LARGE':
      return 413;
    case 'DUPLICATE':
    case 'CONFLICT':
      return 409;
    case 'PERMISSION_DENIED':
      return 403;
    case 'UNAUTHENTICATED':
      return 401;
    case 'MODEL_UNAVAILABLE':
    case 'PROVIDER_UNAVAILABLE':
    case 'REMOTE_UNREACHABLE':
    case 'DATABASE_MISMATCH':
      return 503;
    case 'CANCELLED':
      return 499;
    case 'INTERNAL':
      return 500;
    default:
      return assertNever(code);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
