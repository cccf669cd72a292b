/**
 * The IPC side of the router: decides whether an IPC message may reach the core at all.
 * No Electron import, so it runs under Vitest with a real core.
 */
import type { StreamAnswer } from '../../src-shared/bridge.js';
import { isAppError, type AppErrorData, type Result } from '../../src-shared/errors.js';
import type { CallContext, Router, StreamBody, StreamData } from '../core/index.js';
import { isTrustedSenderUrl } from './policy.js';

/** Contract method names are short `domain.verb` strings; anything longer is not one. */
const MAX_METHOD_NAME_LENGTH = 128;

/** The part of Electron's IpcMainInvokeEvent this module reads. */
export interface IpcSenderEvent {
  readonly senderFrame?: { readonly url: string } | null | undefined;
}

function refuse(error: AppErrorData): Result<never> {
  return { ok: false, error };
}

const UNTRUSTED: AppErrorData = {
  code: 'PERMISSION_DENIED',
  message: 'Only the Neurosphere app itself may call Neurosphere.',
};

/** The names the router sees: the call comes from the app window, as whoever the token says. */
function ipcContext(token: unknown): CallContext {
  return {
    transport: 'ipc',
    // A token that is not a string is treated as no token: the router then answers UNAUTHENTICATED.
    token: typeof token === 'string' ? token : null,
    client: 'electron',
  };
}

function isShortName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && name.length <= MAX_METHOD_NAME_LENGTH;
}

/**
 * Checks the sender, then hands the call to the router as an `ipc` call. The sender's URL is
 * the frame's, not the window's: an iframe or a page navigated elsewhere is not trusted.
 */
export async function handleRpc(
  router: Pick<Router, 'call'>,
  senderUrl: string | null | undefined,
  method: unknown,
  input: unknown,
  token: unknown,
): Promise<Result<unknown>> {
  if (!isTrustedSenderUrl(senderUrl)) return refuse(UNTRUSTED);
  if (!isShortName(method)) {
    return refuse({ code: 'INVALID_INPUT', message: 'The method name must be a short string.' });
  }
  try {
    return await router.call(method, input, ipcContext(token));
  } catch {
    // The router turns every failure into data; this only guards against a broken router, so
    // that Electron never serialises a raw Error (with its stack) into the renderer.
    return refuse({ code: 'INTERNAL', message: 'Something went wrong inside Neurosphere.' });
  }
}

/** The listener main.ts registers with `ipcMain.handle(IPC_CHANNELS.rpc, …)`. */
export function createRpcListener(
  router: Pick<Router, 'call'>,
): (
  event: IpcSenderEvent,
  method: unknown,
  input: unknown,
  token: unknown,
) => Promise<Result<unknown>> {
  return (event, method, input, token) =>
    handleRpc(router, event.senderFrame?.url, method, input, token);
}

/** An upload's bytes as the core reads a body: one chunk, its size known. */
function bodyOf(bytes: unknown): StreamBody | undefined | null {
  if (bytes === undefined || bytes === null) return undefined;
  const data =
    bytes instanceof ArrayBuffer
      ? new Uint8Array(bytes)
      : bytes instanceof Uint8Array
        ? bytes
        : null;
  if (data === null) return null;
  async function* once(): AsyncGenerator<Uint8Array> {
    yield data as Uint8Array;
  }
  return { chunks: once(), declaredBytes: data.byteLength };
}

/** The bytes as one ArrayBuffer of exactly their length (a view's buffer may hold more). */
async function arrayBufferOf(data: StreamData | undefined): Promise<ArrayBuffer> {
  if (data === undefined) return new ArrayBuffer(0);
  let bytes: Uint8Array;
  if (data instanceof Uint8Array) bytes = data;
  else {
    // IPC carries one message: a chunked answer is gathered first.
    const chunks: Uint8Array[] = [];
    for await (const chunk of data) chunks.push(chunk);
    bytes = Buffer.concat(chunks);
  }
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength)
    return bytes.buffer as ArrayBuffer;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * A stream over IPC: the sender checked as for `handleRpc`, then `router.stream` (which
 * authenticates, validates, authorises and calls the handler), then the answer as the
 * renderer's transport expects it: the description and the bytes as one ArrayBuffer.
 */
export async function handleStream(
  router: Pick<Router, 'stream'>,
  senderUrl: string | null | undefined,
  name: unknown,
  params: unknown,
  token: unknown,
  bytes?: unknown,
): Promise<Result<StreamAnswer>> {
  if (!isTrustedSenderUrl(senderUrl)) return refuse(UNTRUSTED);
  if (!isShortName(name)) {
    return refuse({ code: 'INVALID_INPUT', message: 'The stream name must be a short string.' });
  }
  const body = bodyOf(bytes);
  if (body === null) {
    return refuse({ code: 'INVALID_INPUT', message: 'An upload body must be an ArrayBuffer.' });
  }
  try {
    const result = await router.stream(name, params, ipcContext(token), body);
    if (!result.ok) return result;
    const { description = null, data } = result.value;
    return { ok: true, value: { description, data: await arrayBufferOf(data) } };
  } catch (error) {
    // A chunked answer that fails part-way; anything else is a broken router, as in handleRpc.
    if (isAppError(error)) return refuse(error.toData());
    return refuse({ code: 'INTERNAL', message: 'Something went wrong inside Neurosphere.' });
  }
}

/** The listener main.ts registers with `ipcMain.handle(IPC_CHANNELS.stream, …)`. */
export function createStreamListener(
  router: Pick<Router, 'stream'>,
): (event: IpcSenderEvent, ...args: unknown[]) => Promise<Result<StreamAnswer>> {
  return (event, name, params, token, bytes) =>
    handleStream(router, event.senderFrame?.url, name, params, token, bytes);
}
