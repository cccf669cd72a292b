import { AppError } from '../../../src-shared/errors.js';

const MAX_NAME_LENGTH = 1024;
const MAX_DEPTH = 32;
const MAX_SEGMENT_BYTES = 255;
// Control characters, and characters Windows refuses in file names (the data dir may be there).
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f<>:"|?*\\]/;

function invalid(reason: string): AppError {
  return new AppError('INVALID_INPUT', `The file name is not allowed: ${reason}.`);
}

/**
 * Checks the relative path a client gives an uploaded file (e.g. `CD/DICOM/IM0001` from a dropped
 * folder) and returns its segments. Anything that could leave the batch folder is refused rather
 * than cleaned up: absolute paths, drive letters, backslashes, `.` and `..` segments, empty
 * segments. The caller still checks that the resolved path lies inside the batch folder.
 */
export function parseUploadName(name: string): string[] {
  if (name.length === 0) throw invalid('it is empty');
  if (name.length > MAX_NAME_LENGTH) throw invalid('it is too long');
  if (FORBIDDEN.test(name)) throw invalid('it contains a control character or one of <>:"|?*\\');
  if (name.startsWith('/')) throw invalid('it must be a relative path');
  const segments = name.split('/');
  if (segments.length > MAX_DEPTH) throw invalid('the folder nesting is too deep');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..')
      throw invalid('it contains an empty, "." or ".." folder');
    if (new TextEncoder().encode(segment).byteLength > MAX_SEGMENT_BYTES)
      throw invalid('a part of it is longer than 255 bytes');
    if (segment.endsWith(' ') || segment.endsWith('.'))
      throw invalid('a part of it ends with a space or a dot');
  }
  return segments;
}
