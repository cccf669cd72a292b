import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCTION_KDF } from '../core/auth/password-hasher.js';
import { memoryLogger } from '../core/platform/logger.js';
import { rpc, setUpAdmin, startTestServer, type TestServer } from './testing/test-server.js';

/**
 * Twenty concurrent wrong logins at the production scrypt cost (64 MiB, the cost an attacker
 * would face) must not starve other requests: hashing takes at most two of libuv's four threads,
 * so a static file is still read at once.
 */
describe('serve: a login flood', () => {
  let ctx: TestServer;
  beforeAll(async () => {
    ctx = await startTestServer({ core: { kdf: PRODUCTION_KDF, logger: memoryLogger() } });
    await setUpAdmin(ctx.server);
  }, 60_000);
  afterAll(async () => {
    await ctx.cleanup();
  });

  it('leaves static files and health answering quickly while it is hashed', async () => {
    const started = performance.now();
    const flood = Array.from({ length: 20 }, (_, i) =>
      rpc(ctx.server, 'auth.login', { username: `intruder${i}`, password: 'guess' }).then(
        (answer) => ({ answer, ms: performance.now() - started }),
      ),
    );
    // Let the flood reach the hashing queue first.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const timings: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const before = performance.now();
      const file = await fetch(`${ctx.server.url}/assets/app-1234.js`);
      expect(file.status).toBe(200);
      await file.text();
      timings.push(performance.now() - before);
    }
    const results = await Promise.all(flood);
    const floodMs = Math.max(...results.map((r) => r.ms));
    for (const { answer } of results) {
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
    const slowest = Math.max(...timings);
    console.info(
      `login flood: 20 logins took ${floodMs.toFixed(0)} ms; static file at most ${slowest.toFixed(0)} ms`,
    );
    // The static file did not wait for the flood to drain.
    expect(slowest).toBeLessThan(Math.max(500, floodMs / 4));
  }, 120_000);
});
