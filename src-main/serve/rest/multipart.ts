import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { RestFailure } from './rest-types.js';

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function tooLarge(limit: number): RestFailure {
  return new RestFailure(
    {
      code: 'FILE_TOO_LARGE',
      message: `The request body is larger than ${Math.round(limit / (1024 * 1024))} MiB, this server's limit for uploads.`,
    },
    413,
  );
}

/** The body's bytes, refused with 413 past `limit` (announced or counted). */
async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A multipart/form-data or urlencoded body as FormData, parsed by Node's own fetch
 * implementation (undici) rather than by hand. Wrong media types get 415.
 */
export async function readForm(
  req: IncomingMessage,
  limit: number,
  allowUrlEncoded: boolean,
): Promise<FormData> {
  const type = mediaType(req);
  const isMultipart = type === 'multipart/form-data';
  const isUrlEncoded = type === 'application/x-www-form-urlencoded';
  if (!isMultipart && !(allowUrlEncoded && isUrlEncoded)) {
    req.resume();
    throw new RestFailure(
      {
        code: 'INVALID_INPUT',
        message: `Send this request as multipart/form-data${allowUrlEncoded ? ' or application/x-www-form-urlencoded' : ''} (it came as ${type || 'no content type'}).`,
      },
      415,
    );
  }
  const bytes = await readLimited(req, limit);
  try {
    return await new Response(Readable.toWeb(Readable.from([bytes])) as ReadableStream, {
      headers: { 'Content-Type': req.headers['content-type'] ?? '' },
    }).formData();
  } catch {
    throw new RestFailure(
      { code: 'INVALID_INPUT', message: 'The form data is malformed: it could not be parsed.' },
      400,
    );
  }
}

/** The form's text field, or undefined. A file where text is expected is refused. */
export function formText(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  if (value === null) return undefined;
  if (typeof value !== 'string')
    throw new RestFailure(
      { code: 'INVALID_INPUT', message: `The form field "${name}" must be text, not a file.` },
      400,
    );
  return value;
}

/** An uploaded part: its name, size and bytes. */
export interface FormFile {
  readonly name: string;
  readonly size: number;
  stream(): ReadableStream<Uint8Array>;
}

/** The form's files under `name` (one or several parts). */
export function formFiles(form: FormData, name: string): FormFile[] {
  return form
    .getAll(name)
    .flatMap((value) => (typeof value === 'string' ? [] : [value as FormFile]));
}
