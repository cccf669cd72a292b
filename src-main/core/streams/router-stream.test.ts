import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { stream } from '../../../src-shared/contract/streams.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { extendStreams } from './stream-table.js';
import type { StreamHandlersOf } from './stream-types.js';

const brokenStreams = {
  'test.broken': stream({
    summary: 'Answers a description that breaks its own schema (test only)',
    params: z.object({}).strict(),
    access: 'authenticated',
    response: { kind: 'bytes', description: z.object({ size: z.number() }) },
  }),
};
const brokenHandlers: StreamHandlersOf<typeof brokenStreams> = {
  // The cast stands for a handler that drifted from the contract.
  'test.broken': () => ({
    description: { size: 'big' } as unknown as { size: number },
    data: new Uint8Array(1),
  }),
};

describe('router.stream', () => {
  let t: TestCore | undefined;
  afterEach(() => t?.dispose());

  it('answers unknown names, a missing upload body and inherited keys as call does', async () => {
    t = startTestCore();
    const token = await setupAdmin(t);
    const context = { transport: 'test' as const, token };
    for (const name of ['frames.explode', 'toString', '__proto__', 'constructor']) {
      const result = await t.core.router.stream(name, {}, context);
      expect(result.ok ? 'ok' : result.error.code, name).toBe('NOT_FOUND');
    }
    const params = { batchId: '0b6f3c1e-2d4a-4b5c-8d9e-0f1a2b3c4d5e', name: 'a.png' };
    const bodiless = await t.core.router.stream('uploads.put', params, context);
    expect(bodiless).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const anonymous = await t.core.router.stream('uploads.put', params, { transport: 'test' });
    expect(anonymous).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('checks descriptions against the contract when outputs are validated', async () => {
    t = startTestCore({
      extendStreams: (table) => extendStreams(table, brokenStreams, brokenHandlers),
    });
    const token = await setupAdmin(t);
    const result = await t.core.router.stream('test.broken', {}, { transport: 'test', token });
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const logged = t.logger.entries.find((e) => e.fields['method'] === 'test.broken');
    expect(String(logged?.fields['error'])).toMatch(/violates the contract/);
  });
});
