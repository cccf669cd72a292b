/**
 * The IPC side of the router: decides whether an IPC message may reach the core at all.
 * No Electron import, so it runs under Vitest with a real core.
 */
import type { AppErrorData, Result } from '../../src-shared/errors.js';
import type { Router } from '../core/index.js';
import { isTrustedSenderUrl } from './policy.js';

/** Contract method names are short `domain.verb` strings; anything longer is not one. */
const MAX_METHOD_NAME_LENGTH = 128;

/** The part of Electron's IpcMainInvokeEvent this module reads. */
export interface IpcSenderEvent {
  readonly senderFrame?: { readonly url: string } | null | undefined;
}

function refuse(error: AppErrorData): Result<unknown> {
  return { ok: false, error };
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
  if (!isTrustedSenderUrl(senderUrl)) {
    return refuse({
      code: 'PERMISSION_DENIED',
      message: 'Only the Neurosphere app itself may call Neurosphere.',
    });
  }
  if (typeof method !== 'string' || method.length === 0 || method.length > MAX_METHOD_NAME_LENGTH) {
    return refuse({ code: 'INVALID_INPUT', message: 'The method name must be a short string.' });
  }
  try {
    return await router.call(method, input, {
      transport: 'ipc',
      // A token that is not a string is treated as no token: the router then answers UNAUTHENTICATED.
      token: typeof token === 'string' ? token : null,
      client: 'electron',
    });
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
