import { describe, expect, it } from 'vitest';
import { createLruCache } from './lru-cache.js';

const bytes = (n: number): Uint8Array => new Uint8Array(n);

describe('createLruCache', () => {
  it('loads once, answers the held value after, and drops the least recently used first', async () => {
    const cache = createLruCache<Uint8Array>({
      maxBytes: 100,
      maxEntries: 2,
      sizeOf: (v) => v.byteLength,
    });
    const loads: string[] = [];
    const get = (key: string) =>
      cache.get(key, async () => {
        loads.push(key);
        return bytes(10);
      });
    const a = await get('a');
    expect(await get('a')).toBe(a);
    await get('b');
    await get('a'); // a is now the most recently used
    await get('c'); // over two entries: b goes, not a
    expect(cache.size).toBe(2);
    await get('a');
    await get('b');
    expect(loads).toEqual(['a', 'b', 'c', 'b']);
  });

  it('keeps within the byte budget and does not keep a value larger than all of it', async () => {
    const cache = createLruCache<Uint8Array>({
      maxBytes: 100,
      maxEntries: 10,
      sizeOf: (v) => v.byteLength,
    });
    let loads = 0;
    const get = (key: string, size: number) =>
      cache.get(key, async () => {
        loads++;
        return bytes(size);
      });
    await get('a', 60);
    await get('b', 60); // 120 > 100: a goes
    expect(cache.size).toBe(1);
    await get('huge', 500);
    expect(cache.size).toBe(1);
    await get('b', 60);
    expect(loads).toBe(3);
  });

  it('shares one load between callers at once, and forgets a load that failed', async () => {
    const cache = createLruCache<number>({ maxBytes: 100, maxEntries: 4, sizeOf: () => 1 });
    let loads = 0;
    let release: (value: number) => void = () => undefined;
    const slow = () =>
      cache.get('k', () => {
        loads++;
        return new Promise<number>((resolve) => (release = resolve));
      });
    const first = slow();
    const second = slow();
    release(7);
    expect(await Promise.all([first, second])).toEqual([7, 7]);
    expect(loads).toBe(1);

    await expect(cache.get('bad', () => Promise.reject(new Error('damaged')))).rejects.toThrow(
      'damaged',
    );
    expect(await cache.get('bad', () => Promise.resolve(3))).toBe(3);
    cache.forget('bad');
    expect(await cache.get('bad', () => Promise.resolve(4))).toBe(4);
  });
});
