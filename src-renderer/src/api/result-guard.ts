import {
  ERROR_CODES,
  type AppErrorData,
  type ErrorCode,
  type Result,
} from '../../../src-shared/errors.js';

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN_CODES.has(value);
}

function isAppErrorData(value: unknown): value is AppErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return isErrorCode(code) && typeof message === 'string';
}

/** Whether a value that crossed a process or network boundary has the shape of a Result. */
export function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (record['ok'] === true) return 'value' in record;
  if (record['ok'] === false) return isAppErrorData(record['error']);
  return false;
}

export function failure(code: ErrorCode, message: string): Result<never> {
  return { ok: false, error: { code, message } };
}
