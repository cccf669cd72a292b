import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../../../src-shared/errors.js';
import { summariseStl, type MeshSummary } from '../imaging/stl.js';

/** An intra-oral scan is a few hundred thousand triangles; beyond this it is not one. */
export const MAX_STL_TRIANGLES = 10_000_000;
/** 10 million binary triangles are 500 MB; an ASCII STL of a jaw is well under this. */
export const MAX_STL_BYTES = 512 * 1024 * 1024;

export interface CheckedStl {
  readonly data: Uint8Array;
  readonly fileName: string;
  readonly summary: MeshSummary;
}

/**
 * Reads an intra-oral STL from a path and refuses what is not one (missing, empty, too large,
 * neither binary nor ASCII STL, no triangles, absurd triangle counts), naming the jaw in the
 * message so the user knows which file to fix.
 */
export async function readCheckedStl(path: string, role: 'upper' | 'lower'): Promise<CheckedStl> {
  const jaw = `The ${role} jaw STL (${path})`;
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new AppError('INVALID_INPUT', `${jaw} is not a file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('NOT_FOUND', `${jaw} could not be found: check the path.`);
  }
  if (size === 0) throw new AppError('CORRUPT_FILE', `${jaw} is empty.`);
  if (size > MAX_STL_BYTES)
    throw new AppError(
      'FILE_TOO_LARGE',
      `${jaw} has ${size} bytes; an intra-oral scan is at most ${MAX_STL_BYTES} bytes. Decimate the mesh and try again.`,
    );
  const data = new Uint8Array(await readFile(path));
  let summary: MeshSummary;
  try {
    summary = summariseStl(data);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError(
      'CORRUPT_FILE',
      `${jaw} is not a usable STL: ${reason}. Export it again as binary or ASCII STL.`,
    );
  }
  if (summary.triangleCount > MAX_STL_TRIANGLES)
    throw new AppError(
      'FILE_TOO_LARGE',
      `${jaw} has ${summary.triangleCount} triangles; at most ${MAX_STL_TRIANGLES} are accepted.`,
    );
  return { data, fileName: basename(path), summary };
}
