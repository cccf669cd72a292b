import { inflateRawSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { AppError } from '../../../../src-shared/errors.js';
import { EXPLICIT_LITTLE_ENDIAN, IMPLICIT_LITTLE_ENDIAN } from './transfer-syntax.js';

export interface ParsedDicom {
  readonly dataSet: DataSet;
  readonly transferSyntaxUid: string;
  /** False for a bare data set without the 128-byte preamble, 'DICM' and meta header. */
  readonly hasPreamble: boolean;
}

export interface ParseOptions {
  /** Stop at the Pixel Data element (its offset and length are still read). */
  untilPixelData?: boolean;
  /** A deflated data set may not inflate beyond this (protects against deflate bombs). */
  maxInflatedBytes?: number;
  /** The VR of a tag in an implicit-VR data set (from a dictionary), so sequences are read. */
  vrOf?: (tag: string) => string | undefined;
}

const DEFAULT_MAX_INFLATED_BYTES = 2 * 1024 * 1024 * 1024 - 1;

export function hasDicomPreamble(data: Uint8Array): boolean {
  return (
    data.length >= 132 &&
    data[128] === 0x44 &&
    data[129] === 0x49 &&
    data[130] === 0x43 &&
    data[131] === 0x4d
  );
}

/** A data set without preamble: explicit VR if a VR follows the first tag, else implicit. */
export function guessRawTransferSyntax(data: Uint8Array): string {
  const vr0 = data[4] ?? 0;
  const vr1 = data[5] ?? 0;
  const isExplicit = vr0 >= 0x41 && vr0 <= 0x5a && vr1 >= 0x41 && vr1 <= 0x5a;
  return isExplicit ? EXPLICIT_LITTLE_ENDIAN : IMPLICIT_LITTLE_ENDIAN;
}

/** dicom-parser throws strings, Errors, or objects of the form { exception, dataSet }. */
export function describeParseError(error: unknown): string {
  const exception =
    typeof error === 'object' && error !== null && 'exception' in error
      ? (error as { exception: unknown }).exception
      : error;
  const text =
    typeof exception === 'string'
      ? exception
      : exception instanceof Error
        ? exception.message
        : 'unreadable structure';
  return text.replace(/^dicomParser[.:]\s*\w*:?\s*/, '');
}

/**
 * Runs reads of a parsed data set: dicom-parser's accessors throw plain strings or TypeErrors
 * when an element's declared length runs past the bytes present. Those become CORRUPT_FILE.
 */
export function readingDicom<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(
      'CORRUPT_FILE',
      `DICOM attribute cannot be read: ${describeParseError(error)}`,
    );
  }
}

function trimmedString(ds: DataSet, tag: string): string | null {
  const value = ds.string(tag);
  return value === undefined || value.trim() === '' ? null : value.trim();
}

/**
 * Parses a DICOM file (with or without preamble and meta header, any transfer syntax,
 * including a deflated data set). Throws AppError CORRUPT_FILE with the parser's reason.
 */
export function parseDicom(data: Uint8Array, options: ParseOptions = {}): ParsedDicom {
  const hasPreamble = hasDicomPreamble(data);
  const maxOutputLength = options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(data, {
      ...(options.untilPixelData === true && { untilTag: 'x7fe00010' }),
      ...(!hasPreamble && { TransferSyntaxUID: guessRawTransferSyntax(data) }),
      ...(options.vrOf !== undefined && { vrCallback: options.vrOf }),
      // The library's own Node inflater has no output limit; a tiny file could claim gigabytes.
      inflater: (bytes: Uint8Array, position: number) => {
        const inflated = inflateRawSync(bytes.subarray(position), { maxOutputLength });
        const whole = Buffer.alloc(position + inflated.length);
        whole.set(bytes.subarray(0, position), 0);
        whole.set(inflated, position);
        return whole;
      },
    });
  } catch (error) {
    if (error instanceof RangeError && /maxOutputLength|larger than/.test(error.message)) {
      throw new AppError('FILE_TOO_LARGE', 'The deflated DICOM data set inflates beyond the limit');
    }
    throw new AppError('CORRUPT_FILE', `DICOM file cannot be parsed: ${describeParseError(error)}`);
  }
  const transferSyntaxUid = readingDicom(
    () =>
      trimmedString(dataSet, 'x00020010') ??
      (hasPreamble ? IMPLICIT_LITTLE_ENDIAN : guessRawTransferSyntax(data)),
  );
  return { dataSet, transferSyntaxUid, hasPreamble };
}
