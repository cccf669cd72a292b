import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Job } from '../../src-shared/contract/entities.js';
import type { EventName } from '../../src-shared/contract/events.js';
import { isAppError } from '../../src-shared/errors.js';
import { ROLE_SCOPE, roleHasPermission, type Permission } from '../../src-shared/roles.js';
import { type Core, jobForRole, roleOf, type Principal } from '../core/index.js';

/** Close code for "not authenticated" (4000-4999 are free for applications). */
export const CLOSE_UNAUTHENTICATED = 4401;
/** A client that cannot keep up with events is dropped rather than buffered without bound. */
const CLOSE_TOO_SLOW = 1013;
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** Who may receive which event: a Record, so adding an event forces a decision here. */
const EVENT_PERMISSIONS: Readonly<Record<EventName, Permission>> = {
  'jobs.updated': 'jobs.read',
  'scans.changed': 'scans.read',
  'scans.updated': 'scans.read',
  'sync.updated': 'system.read',
};

export interface EventSocketOptions {
  /** How long a new socket may stay silent before it must have sent its token. */
  authTimeoutMs?: number;
  /** How often sessions are checked again (logout, disabled account, expiry) and peers pinged. */
  sessionCheckMs?: number;
}

interface Client {
  readonly socket: WebSocket;
  token: string | null;
  principal: Principal | null;
  isAlive: boolean;
}

export interface EventSocketServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  readonly clientCount: () => number;
  close(): Promise<void>;
}

function tokenOf(data: RawData): string | null {
  try {
    const message = JSON.parse(data.toString()) as unknown;
    if (typeof message !== 'object' || message === null) return null;
    const { type, token } = message as { type?: unknown; token?: unknown };
    return type === 'auth' && typeof token === 'string' && token !== '' ? token : null;
  } catch {
    return null;
  }
}

/** Close reasons are limited to 123 bytes by the protocol. */
function closeReason(text: string): string {
  return Buffer.byteLength(text) <= 123 ? text : `${text.slice(0, 100)}…`;
}

/**
 * WebSocket /api/events. The token comes in the first message, never in the URL (URLs end up
 * in logs and browser history); until then the socket receives nothing.
 */
export function createEventSocketServer(
  core: Core,
  options: EventSocketOptions = {},
): EventSocketServer {
  const authTimeoutMs = options.authTimeoutMs ?? 5_000;
  const sessionCheckMs = options.sessionCheckMs ?? 60_000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  const clients = new Set<Client>();

  /** `isRecheck`: the periodic check is not user activity and must not extend the session. */
  function authenticate(client: Client, token: string, isRecheck = false): boolean {
    try {
      client.principal = core.auth.authenticate(token, { touch: !isRecheck });
      client.token = token;
      return true;
    } catch (error) {
      const message = isAppError(error) ? error.message : 'Authentication failed.';
      client.socket.close(CLOSE_UNAUTHENTICATED, closeReason(message));
      return false;
    }
  }

  function send(client: Client, text: string): void {
    if (client.socket.readyState !== WebSocket.OPEN) return;
    if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      client.socket.close(CLOSE_TOO_SLOW, 'Too slow to receive events; reconnect.');
      return;
    }
    client.socket.send(text);
  }

  const unsubscribe = core.events.subscribe((name, payload) => {
    const permission = EVENT_PERMISSIONS[name];
    let text: string | undefined;
    for (const client of clients) {
      if (client.principal === null || !roleHasPermission(roleOf(client.principal), permission))
        continue;
      // Events name other patients' scans and jobs: a scoped role (a patient) gets none.
      if (ROLE_SCOPE[roleOf(client.principal)] !== 'all') continue;
      // A job names server paths only to roles that may import (see jobForRole).
      if (name === 'jobs.updated' && !roleHasPermission(roleOf(client.principal), 'import.run')) {
        const { job } = payload as { job: Job };
        send(
          client,
          JSON.stringify({
            event: name,
            payload: { job: jobForRole(job, roleOf(client.principal)) },
          }),
        );
        continue;
      }
      text ??= JSON.stringify({ event: name, payload });
      send(client, text);
    }
  });

  // Sessions end by logout, idle timeout or a disabled account; an open socket must notice.
  const sweep = setInterval(() => {
    for (const client of clients) {
      if (!client.isAlive) {
        client.socket.terminate();
        continue;
      }
      client.isAlive = false;
      client.socket.ping();
      if (client.token !== null) authenticate(client, client.token, true);
    }
  }, sessionCheckMs);
  sweep.unref();

  wss.on('connection', (socket: WebSocket) => {
    const client: Client = { socket, token: null, principal: null, isAlive: true };
    clients.add(client);
    const authTimer = setTimeout(() => {
      if (client.principal === null)
        socket.close(CLOSE_UNAUTHENTICATED, 'Send {"type":"auth","token":"..."} first.');
    }, authTimeoutMs);

    socket.on('pong', () => {
      client.isAlive = true;
    });
    socket.on('message', (data) => {
      const token = tokenOf(data);
      // Before authentication only an auth message is acceptable; later ones renew the token.
      if (token === null) {
        if (client.principal === null)
          socket.close(CLOSE_UNAUTHENTICATED, 'Send {"type":"auth","token":"..."} first.');
        return;
      }
      if (!authenticate(client, token) || client.principal === null) return;
      clearTimeout(authTimer);
      const user = client.principal.kind === 'user' ? client.principal.user : null;
      socket.send(
        JSON.stringify({
          type: 'authenticated',
          user: user === null ? null : { id: user.id, username: user.username, role: user.role },
        }),
      );
    });
    socket.on('close', () => {
      clearTimeout(authTimer);
      clients.delete(client);
    });
    socket.on('error', () => socket.terminate());
  });

  return {
    handleUpgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    clientCount: () => clients.size,
    async close() {
      clearInterval(sweep);
      unsubscribe();
      const closed = [...clients].map(
        (client) =>
          new Promise<void>((resolve) => {
            if (client.socket.readyState === WebSocket.CLOSED) return resolve();
            client.socket.once('close', () => resolve());
            client.socket.close(1001, 'Neurosphere is shutting down.');
            // A peer that never answers the close handshake is cut off.
            setTimeout(() => client.socket.terminate(), 1_000).unref();
          }),
      );
      await Promise.all(closed);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
