import { randomUUID } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AppError } from '../../src-shared/errors.js';
import {
  createCore,
  resolveAuditKey,
  resolveDataDirEncryption,
  type AuditKey,
  type AuditVerification,
  type Core,
  type CoreOptions,
  appRoot,
} from '../core/index.js';
import { handleApi } from './api-routes.js';
import { createEventSocketServer, type EventSocketOptions } from './event-socket.js';
import { isAllowedHostHeader } from './host-guard.js';
import { failure, sendJson } from './json-response.js';
import { safeRequestPath } from './request-path.js';
import { applySecurityHeaders } from './security-headers.js';
import { createStaticHandler } from './static-files.js';
import { createRestApi, type RestOptions } from './rest/handle-rest.js';
import { REST_ROUTES } from './rest/route-table.js';
import { createTaskSocketServer, TASK_SOCKET_PATH } from './rest/task-socket.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7878;
const EVENTS_PATH = '/api/events';
/** How long requests in flight may take to finish when the server shuts down. */
const SHUTDOWN_GRACE_MS = 5_000;

export interface ServeOptions {
  dataDir: string;
  /** Default 127.0.0.1. Anything else exposes the workstation to the network. */
  host?: string;
  /** Default 7878; 0 picks a free port. */
  port?: number;
  /** The built renderer; default <package root>/dist/renderer. */
  staticDir?: string;
  /**
   * Extra core dependencies (tests pass a cheap KDF, a memory logger and a test audit key).
   * Without an audit key, the OS keychain's (or the key file's) is used.
   */
  core?: Omit<CoreOptions, 'dataDir' | 'runJobs' | 'auditKey'> & { auditKey?: AuditKey };
  events?: EventSocketOptions;
  /** The seed documents' REST API: rate limit, CORS allow-list, upload body limit. */
  rest?: RestOptions;
  /** Serve HTTPS with this certificate and key (PEM), for use beyond loopback. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Where NEUROSPHERE_AUDIT_KEY_FILE is read from; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:7878, with the real port when 0 was asked for. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly core: Core;
  /** The audit trail as verified at start-up (the serve command warns when it is broken). */
  readonly auditCheck: AuditVerification;
  /** Stops accepting, closes sockets, lets jobs stop (resumable ones are requeued), closes the core. */
  close(): Promise<void>;
}

export function defaultStaticDir(): string {
  return join(appRoot(), 'dist', 'renderer');
}

function urlOf(host: string, port: number, scheme: 'http' | 'https'): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (error.code) {
    case 'EADDRINUSE':
      return new AppError(
        'CONFLICT',
        `Port ${port} on ${host} is already in use: stop the other program or choose another port with --port.`,
      );
    case 'EACCES':
      return new AppError(
        'PERMISSION_DENIED',
        `Not allowed to listen on port ${port}: choose a port above 1023 with --port.`,
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new AppError('INVALID_INPUT', `Cannot listen on ${host}: no such address here.`);
    default:
      return error;
  }
}

/** Serve mode: the same core behind HTTP (renderer, RPC, health) and a WebSocket for events. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const requestedPort = options.port ?? DEFAULT_PORT;
  const auditKey =
    options.core?.auditKey ??
    (await resolveAuditKey({ dataDir: options.dataDir, env: options.env ?? process.env }));
  const encryption =
    options.core?.encryption !== undefined
      ? options.core.encryption
      : await resolveDataDirEncryption({
          dataDir: options.dataDir,
          env: options.env ?? process.env,
        });
  const core = createCore({
    startDicomNode: true,
    startSync: true,
    ...options.core,
    auditKey,
    encryption,
    dataDir: options.dataDir,
    runJobs: true,
  });
  const auditCheck = core.audit.verify();
  if (!auditCheck.ok)
    core.logger.warn('audit trail verification failed', { issues: auditCheck.issues });
  const serveStatic = createStaticHandler(options.staticDir ?? defaultStaticDir());
  const sockets = createEventSocketServer(core, options.events);
  const rest = createRestApi(core, REST_ROUTES, options.rest);
  const taskSockets = createTaskSocketServer(core);

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    applySecurityHeaders(res);
    if (!isAllowedHostHeader(req.headers.host, host)) {
      sendJson(
        res,
        403,
        failure('PERMISSION_DENIED', 'Address this server as localhost or 127.0.0.1.'),
      );
      return;
    }
    const path = safeRequestPath(req.url);
    if (path === undefined) {
      sendJson(res, 400, failure('INVALID_INPUT', 'This request path is not allowed.'));
      return;
    }
    if (path === '/api' || path.startsWith('/api/')) {
      if (!(await rest.handle(req, res, path))) await handleApi(core, req, res, path);
    } else await serveStatic(req, res, path);
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    route(req, res).catch((error: unknown) => {
      const correlationId = randomUUID();
      core.logger.error('http request failed', { correlationId, url: req.url, error });
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendJson(
        res,
        500,
        failure(
          'INTERNAL',
          `Something went wrong inside Neurosphere (reference ${correlationId}). The details were logged.`,
        ),
      );
    });
  };
  const server =
    options.tls === undefined
      ? createHttpServer(onRequest)
      : createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest);

  server.on('upgrade', (req, socket, head) => {
    if (
      safeRequestPath(req.url) === TASK_SOCKET_PATH &&
      isAllowedHostHeader(req.headers.host, host)
    ) {
      taskSockets.handleUpgrade(req, socket, head);
      return;
    }
    const isEvents = safeRequestPath(req.url) === EVENTS_PATH;
    if (!isEvents || !isAllowedHostHeader(req.headers.host, host)) {
      socket.end(`HTTP/1.1 ${isEvents ? '403 Forbidden' : '404 Not Found'}\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(requestedPort, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await core.close();
    throw listenError(error as NodeJS.ErrnoException, host, requestedPort);
  }

  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;

  async function shutDown(): Promise<void> {
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const forceTimer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    await sockets.close();
    await taskSockets.close();
    await stopped;
    clearTimeout(forceTimer);
    await core.close();
  }

  return {
    url: urlOf(host, port, options.tls === undefined ? 'http' : 'https'),
    host,
    port,
    core,
    auditCheck,
    close: () => (closing ??= shutDown()),
  };
}
