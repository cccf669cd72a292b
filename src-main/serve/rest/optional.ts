import type { ErrorCode } from '../../../src-shared/errors.js';
import { RestFailure } from './rest-types.js';

/** A call whose absence is an answer (a scan not analysed yet): undefined for these codes. */
export async function optional<T>(
  promise: Promise<T>,
  codes: readonly ErrorCode[] = ['NOT_FOUND'],
): Promise<T | undefined> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof RestFailure && codes.includes(error.error.code)) return undefined;
    throw error;
  }
}
