import { describe, expect, it } from 'vitest';
import { hashFor, routeFromHash } from './routes.js';

describe('hash routes', () => {
  it('reads the page from the hash, defaulting to the worklist', () => {
    expect(routeFromHash('#/jobs')).toBe('jobs');
    expect(routeFromHash('#/jobs/123')).toBe('jobs');
    expect(routeFromHash('#jobs')).toBe('jobs');
    expect(routeFromHash('')).toBe('worklist');
    expect(routeFromHash('#/nowhere')).toBe('worklist');
    expect(routeFromHash('#/constructor')).toBe('worklist');
  });

  it('round-trips', () => {
    expect(routeFromHash(hashFor('jobs'))).toBe('jobs');
  });
});
