import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Job } from '../../../src-shared/contract/entities.js';
import { isAppError } from '../../../src-shared/errors.js';
import type { Core } from '../../core/index.js';

/** The doctor/patient seed's task WebSocket. */
export const TASK_SOCKET_PATH = '/api/tasks/status/ws';
/** The seed: "WebSocket connections will auto-disconnect after 30 minutes of inactivity". */
const IDLE_CLOSE_MS = 30 * 60 * 1000;
const MAX_TASKS = 100;
const CLOSE_UNAUTHENTICATED = 4401;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const TASK_STATUS: Readonly<Record<Job['status'], string>> = {
  pending: 'PENDING',
  processing: 'IN_PROGRESS',
  completed: 'COMPLETED',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
};

function taskMessage(job: Job): string {
  return JSON.stringify({
    task_id: job.id,
    status: TASK_STATUS[job.status],
    progress: Math.round(job.progress * 100),
    message: job.error?.message ?? job.stage ?? '',
  });
}

function refuse(socket: Duplex, status: string, message: string): void {
  const body = JSON.stringify({ success: false, error: { message } });
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * WebSocket `/api/tasks/status/ws?token=…&task_ids=a,b`: the doctor/patient seed's task updates
 * (`{task_id, status, progress, message}`), for the tasks named, from the jobs' own events. The
 * seed puts the token in the query string; serve logs no URLs of successful requests. The first
 * state of each task is read through the router (`jobs.get`: the same permission and audit);
 * the session is checked again before every update, so a logout or idle timeout ends it.
 */
export function createTaskSocketServer(core: Core) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });

  async function start(
    socket: WebSocket,
    token: string,
    taskIds: readonly string[],
  ): Promise<void> {
    let idleTimer = setTimeout(
      () => socket.close(1000, 'Closed after 30 minutes without updates.'),
      IDLE_CLOSE_MS,
    );
    const watched = new Set(taskIds);
    const unsubscribe = core.events.subscribe((name, payload) => {
      if (name !== 'jobs.updated') return;
      const { job } = payload as { job: Job };
      if (!watched.has(job.id) || socket.readyState !== WebSocket.OPEN) return;
      try {
        core.auth.authenticate(token, { touch: false });
      } catch (error) {
        socket.close(
          CLOSE_UNAUTHENTICATED,
          isAppError(error) ? error.message.slice(0, 120) : 'Log in again.',
        );
        return;
      }
      clearTimeout(idleTimer);
      idleTimer = setTimeout(
        () => socket.close(1000, 'Closed after 30 minutes without updates.'),
        IDLE_CLOSE_MS,
      );
      socket.send(taskMessage(job));
    });
    socket.on('close', () => {
      clearTimeout(idleTimer);
      unsubscribe();
    });
    socket.on('error', () => socket.terminate());
    for (const id of taskIds) {
      const result = await core.router.call(
        'jobs.get',
        { id },
        { transport: 'http', token, client: 'http task socket' },
      );
      if (socket.readyState !== WebSocket.OPEN) return;
      socket.send(
        result.ok
          ? taskMessage(result.value as Job)
          : JSON.stringify({
              task_id: id,
              status: 'UNKNOWN',
              progress: 0,
              message: result.error.message,
            }),
      );
    }
  }

  return {
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const token = query.get('token') ?? '';
      const taskIds = (query.get('task_ids') ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== '');
      try {
        const principal = core.auth.authenticate(token);
        if (principal.kind !== 'user') throw new Error('not a user');
      } catch (error) {
        refuse(socket, '401 Unauthorized', isAppError(error) ? error.message : 'Log in first.');
        return;
      }
      if (
        taskIds.length === 0 ||
        taskIds.length > MAX_TASKS ||
        !taskIds.every((id) => UUID.test(id))
      ) {
        refuse(
          socket,
          '400 Bad Request',
          `Name 1 to ${MAX_TASKS} task ids (UUIDs) in task_ids, separated by commas.`,
        );
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        start(ws, token, taskIds).catch(() => ws.terminate());
      });
    },
    close(): Promise<void> {
      for (const client of wss.clients) client.close(1001, 'Neurosphere is shutting down.');
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}
