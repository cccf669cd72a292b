import { randomUUID } from 'node:crypto';

export type IdGenerator = () => string;

export const randomIds: IdGenerator = () => randomUUID();

/** Predictable UUID-shaped ids for tests. */
export function sequentialIds(prefix = '00000000-0000-4000-8000-'): IdGenerator {
  let n = 0;
  return () => `${prefix}${(++n).toString(16).padStart(12, '0')}`;
}
