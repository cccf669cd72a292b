import { expect } from 'vitest';

/** What a seed document shows for a field: its JSON type ("string|null" where it may be null). */
export type FieldType =
  | 'string'
  | 'number'
  | 'boolean'
  | 'array'
  | 'object'
  | 'string|null'
  | 'number|null'
  | 'boolean|null';

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Checks that `value` has each field the seed shows, with the seed's type. */
export function expectShape(
  value: unknown,
  shape: Readonly<Record<string, FieldType>>,
  where = 'body',
): void {
  expect(typeOf(value), `${where} is an object`).toBe('object');
  const record = value as Record<string, unknown>;
  for (const [field, type] of Object.entries(shape)) {
    expect(Object.hasOwn(record, field), `${where}.${field} is present`).toBe(true);
    expect(type.split('|'), `${where}.${field} is ${type}`).toContain(typeOf(record[field]));
  }
}

export async function jsonOf(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}
