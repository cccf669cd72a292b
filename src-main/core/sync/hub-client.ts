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
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new HubError(`${hub.name}: ${e.message}`, true)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // Not JSON (a proxy's error page): kept as text for the message.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)),
    );
    req.on('error', (e) => reject(new HubError(`${hub.name} (${hub.url}): ${e.message}`, true)));
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
 * tokens (`POST /api/auth/login`), keeps the access token, and signs in again when it expires.
 */
export function createHubClient(
  hub: HubDestination,
  password: () => Promise<string | null>,
  timeoutMs: number,
) {
  let accessToken: string | null = null;

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
    const token = (answer.body as { data?: { access_token?: unknown } }).data?.access_token;
    if (typeof token !== 'string') throw new HubError(`${hub.name}: no access token`, true);
    accessToken = token;
    return token;
  }

  async function withToken(path: string, body: string): Promise<Answer> {
    const token = accessToken ?? (await login());
    let answer = await post(hub, path, body, { authorization: `Bearer ${token}` }, timeoutMs);
    if (answer.status === 401) {
      const fresh = await login();
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
