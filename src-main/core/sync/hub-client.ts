import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type {
  HubAuditRow,
  HubDestination,
  HubReceiveOutput,
  HubRecord,
} from '../../../src-shared/contract/sync.js';
import { tlsOptionsFor } from './pinned-tls.js';

/** An HTTP answer from the hub. */
interface Answer {
  status: number;
  body: unknown;
}

/** A failure talking to the hub: transient (network, 5xx, 429) is retried; the rest needs a person. */
export class HubError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

function post(
  hub: HubDestination,
  path: string,
  body: string | null,
  headers: Record<string, string>,
  timeoutMs: number,
  method: 'GET' | 'POST' = 'POST',
): Promise<Answer> {
  const url = new URL(path, hub.url.endsWith('/') ? hub.url : `${hub.url}/`);
  const secure = url.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // Settled once: by the answer's end, or the first error, close or the deadline.
    let settled = false;
    let answered = false;
    const settle = (result: Answer | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const fail = (message: string): void =>
      settle(new HubError(`${hub.name} (${hub.url}): ${message}`, true));
    const req = send(
      url,
      {
        method,
        headers: {
          accept: 'application/json',
          ...(body !== null && {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
          }),
          ...headers,
        },
        timeout: timeoutMs,
        // One connection per request: a batch never rides on a socket a proxy or the hub
        // closed while it was idle, and a cut connection fails only the batch it carried.
        agent: false,
        ...(secure && tlsOptionsFor(hub.caPem)),
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => fail(e.message));
        res.on('close', () => {
          if (!res.complete) fail('the connection closed before the whole answer arrived');
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Not JSON (a proxy's error page): kept as text for the message.
          }
          settle({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    // A hard limit for the whole exchange, beyond the socket's idle timeout.
    const deadline = setTimeout(() => {
      fail(`no complete answer within ${Math.round((2 * timeoutMs) / 1000)} s`);
      req.destroy();
    }, 2 * timeoutMs);
    req.on('timeout', () => {
      fail(`no answer within ${Math.round(timeoutMs / 1000)} s`);
      req.destroy();
    });
    req.on('error', (e) => fail(e.message));
    req.on('close', () => {
      if (!answered) fail('the connection closed without an answer');
    });
    if (body !== null) req.write(body);
    req.end();
  });
}

function messageOf(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 200);
  if (typeof body === 'object' && body !== null) {
    const b = body as { error?: unknown; message?: unknown; detail?: unknown };
    const inner = typeof b.error === 'object' && b.error !== null ? b.error : b;
    const m = (inner as { message?: unknown }).message ?? b.detail;
    if (typeof m === 'string') return m;
  }
  return JSON.stringify(body).slice(0, 200);
}

function failure(hub: HubDestination, what: string, answer: Answer): HubError {
  // A refused batch (400, 413) needs a person; anything else (network, 5xx, 429, a password or
  // permission to fix at the hub) is waited out with backoff, items kept in order.
  const transient = answer.status !== 400 && answer.status !== 413;
  return new HubError(
    `${hub.name} answered ${answer.status} to ${what}: ${messageOf(answer.body)}`,
    transient,
  );
}

/**
 * A workstation's connection to one hub over its REST API: signs in for access and refresh
 * tokens (`POST /api/auth/login`), keeps them, renews an expired access token with the refresh
 * token (`POST /api/auth/refresh-token`) and signs in again only when that fails too.
 */
export function createHubClient(
  hub: HubDestination,
  password: () => Promise<string | null>,
  timeoutMs: number,
) {
  let accessToken: string | null = null;
  let refreshToken: string | null = null;

  async function login(): Promise<string> {
    const secret = await password();
    if (secret === null)
      throw new HubError(
        `No password stored for ${hub.name}: enter it in the destination's settings.`,
        true,
      );
    const answer = await post(
      hub,
      'api/auth/login',
      JSON.stringify({ email: hub.username, password: secret }),
      {},
      timeoutMs,
    );
    if (answer.status !== 200) throw failure(hub, `signing in as ${hub.username}`, answer);
    const data = (answer.body as { data?: { access_token?: unknown; refresh_token?: unknown } })
      .data;
    if (typeof data?.access_token !== 'string')
      throw new HubError(`${hub.name}: no access token`, true);
    accessToken = data.access_token;
    refreshToken = typeof data.refresh_token === 'string' ? data.refresh_token : null;
    return accessToken;
  }

  /** A new access token from the refresh token (cheap: no password hashing at the hub). */
  async function refresh(): Promise<string> {
    if (refreshToken !== null) {
      const answer = await post(
        hub,
        'api/auth/refresh-token',
        null,
        { authorization: `Bearer ${refreshToken}` },
        timeoutMs,
      );
      const token = (answer.body as { data?: { access_token?: unknown } }).data?.access_token;
      if (answer.status === 200 && typeof token === 'string') {
        accessToken = token;
        return token;
      }
      // An expired or revoked refresh token: sign in with the password again.
      if (answer.status !== 401) throw failure(hub, 'refreshing the access token', answer);
      refreshToken = null;
    }
    return login();
  }

  async function withToken(path: string, body: string): Promise<Answer> {
    const token = accessToken ?? (await login());
    let answer = await post(hub, path, body, { authorization: `Bearer ${token}` }, timeoutMs);
    if (answer.status === 401) {
      const fresh = await refresh();
      answer = await post(hub, path, body, { authorization: `Bearer ${fresh}` }, timeoutMs);
    }
    return answer;
  }

  return {
    /** Signs in and reads the hub's version: "test connection". */
    async test(): Promise<{ version: string }> {
      await login();
      const health = await post(hub, 'api/v1/health', null, {}, timeoutMs, 'GET');
      if (health.status !== 200) throw failure(hub, 'the health check', health);
      const version = (health.body as { version?: unknown }).version;
      return { version: typeof version === 'string' ? version : 'unknown' };
    },
    /** Sends one batch; the hub stores it whole (one transaction) and answers each record. */
    async send(body: {
      origin: string;
      records: HubRecord[];
      audit: HubAuditRow[];
    }): Promise<HubReceiveOutput> {
      const answer = await withToken('api/hub/records', JSON.stringify(body));
      if (answer.status !== 200) throw failure(hub, 'the records sent', answer);
      return answer.body as HubReceiveOutput;
    },
  };
}
export type HubClient = ReturnType<typeof createHubClient>;
