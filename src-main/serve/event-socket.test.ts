import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { makeDicom } from '../test-support/dicom-fixtures.js';
import { CLOSE_UNAUTHENTICATED } from './event-socket.js';
import {
  rpc,
  setUpAdmin,
  startTestServer,
  valueOf,
  type TestServer,
} from './testing/test-server.js';

let ctx: TestServer;
let adminToken: string;

beforeAll(async () => {
  ctx = await startTestServer({ events: { authTimeoutMs: 300, sessionCheckMs: 100 } });
  adminToken = await setUpAdmin(ctx.server);
});
afterAll(async () => {
  await ctx.cleanup();
});

interface Message {
  type?: string;
  event?: string;
  payload?: { job?: { id: string; status: string } };
}

/** A socket with its messages collected and a way to wait for the first that matches. */
function connect() {
  const socket = new WebSocket(`${ctx.server.url.replace('http', 'ws')}/api/events`);
  const messages: Message[] = [];
  const waiters: Array<{ match: (m: Message) => boolean; resolve: (m: Message) => void }> = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Message;
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.match(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    messages,
    closed,
    opened,
    next(match: (m: Message) => boolean): Promise<Message> {
      const found = messages.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

describe('serve: event socket', () => {
  it('closes a socket that never authenticates with 4401', async () => {
    const client = connect();
    await client.opened;
    const { code } = await client.closed;
    expect(code).toBe(CLOSE_UNAUTHENTICATED);
    expect(client.messages).toEqual([]);
  });

  it('closes a socket that sends a wrong token with 4401', async () => {
    const client = connect();
    await client.opened;
    client.socket.send(JSON.stringify({ type: 'auth', token: 'not-a-session' }));
    const { code, reason } = await client.closed;
    expect(code).toBe(CLOSE_UNAUTHENTICATED);
    expect(reason).toMatch(/session/i);
  });

  it('forwards jobs.updated events of an import started over RPC', async () => {
    const folder = join(ctx.root, 'incoming');
    mkdirSync(folder);
    writeFileSync(join(folder, 'one.dcm'), makeDicom());
    const client = connect();
    await client.opened;
    client.socket.send(JSON.stringify({ type: 'auth', token: adminToken }));
    await client.next((m) => m.type === 'authenticated');

    const job = valueOf<{ id: string }>(
      await rpc(ctx.server, 'import.files', { paths: [folder] }, adminToken),
    );
    const done = await client.next(
      (m) =>
        m.event === 'jobs.updated' &&
        m.payload?.job?.id === job.id &&
        m.payload.job.status === 'completed',
    );
    expect(done.payload?.job?.status).toBe('completed');
    const statuses = client.messages
      .filter((m) => m.event === 'jobs.updated' && m.payload?.job?.id === job.id)
      .map((m) => m.payload?.job?.status);
    expect(statuses[0]).toBe('pending');
    expect(statuses).toContain('processing');
    expect(client.messages.some((m) => m.event === 'scans.changed')).toBe(true);
    client.socket.close();
    await client.closed;
  });

  it('closes the socket once its session has ended', async () => {
    const { token } = valueOf<{ token: string }>(
      await rpc(ctx.server, 'auth.login', { username: 'admin', password: 'correct horse battery' }),
    );
    const client = connect();
    await client.opened;
    client.socket.send(JSON.stringify({ type: 'auth', token }));
    await client.next((m) => m.type === 'authenticated');
    valueOf(await rpc(ctx.server, 'auth.logout', {}, token));
    const { code } = await client.closed;
    expect(code).toBe(CLOSE_UNAUTHENTICATED);
  });
});
