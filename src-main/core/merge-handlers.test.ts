import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../src-shared/contract/methods.js';
import { mergeHandlers } from './merge-handlers.js';
import type { Handlers } from './router.js';

/** A handler for every method: enough for the merge, which never calls them. */
function allHandlers(): Handlers {
  const entries = METHOD_NAMES.map((method) => [method, () => ({})]);
  return Object.fromEntries(entries) as unknown as Handlers;
}

describe('mergeHandlers', () => {
  it('merges the domain maps into one map with every contract method', () => {
    const { 'auth.status': status, ...rest } = allHandlers();
    const merged = mergeHandlers({ 'auth.status': status }, rest);
    expect(Object.keys(merged).sort()).toEqual([...METHOD_NAMES].sort());
    expect(merged['auth.status']).toBe(status);
  });

  it('refuses at startup a method declared twice, naming it and both maps', () => {
    const all = allHandlers();
    const { 'scans.list': scansList } = all;
    // @ts-expect-error the type names 'scans.list' as declared twice
    expect(() => mergeHandlers(all, { 'scans.list': scansList })).toThrow(
      'Method "scans.list" is declared twice: in handler maps 1 and 2. Keep one.',
    );
  });

  it('refuses a contract method without a handler', () => {
    const { 'jobs.retry': _retry, 'jobs.cancel': _cancel, ...rest } = allHandlers();
    // @ts-expect-error the type names the missing methods
    expect(() => mergeHandlers(rest)).toThrow(/No handler for "jobs.cancel", "jobs.retry"/);
  });

  it('refuses a handler for a method the contract does not have', () => {
    const extra = { 'patients.export': () => ({}) } as Partial<Handlers>;
    // @ts-expect-error a map typed as any subset of the contract may repeat any method
    expect(() => mergeHandlers(allHandlers(), extra)).toThrow(
      /declares "patients.export", which is not a method of the contract/,
    );
  });
});
