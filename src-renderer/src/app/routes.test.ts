import { describe, expect, it } from 'vitest';
import { hashFor, isSection, mayOpen, routeFromHash } from './routes.js';

const ID = '0c1d2e3f-1111-4222-8333-444455556666';

describe('hash routes', () => {
  it('reads the page from the hash, defaulting to the worklist', () => {
    expect(routeFromHash('#/jobs')).toEqual({ page: 'jobs' });
    expect(routeFromHash('#jobs')).toEqual({ page: 'jobs' });
    expect(routeFromHash('#/dashboard?x=1')).toEqual({ page: 'dashboard' });
    expect(routeFromHash('')).toEqual({ page: 'worklist' });
    expect(routeFromHash('#/nowhere')).toEqual({ page: 'worklist' });
    expect(routeFromHash('#/constructor')).toEqual({ page: 'worklist' });
  });

  it('reads detail pages with their id, refusing malformed ids', () => {
    expect(routeFromHash(`#/patients/${ID}`)).toEqual({ page: 'patient', id: ID });
    expect(routeFromHash(`#/scans/${ID}`)).toEqual({ page: 'scan', id: ID });
    expect(routeFromHash(`#/scans/${ID}/3d`)).toEqual({ page: 'scan3d', id: ID });
    expect(routeFromHash(`#/reports/${ID}`)).toEqual({ page: 'report', id: ID });
    expect(routeFromHash(`#/dental/${ID}`)).toEqual({ page: 'dentalCase', id: ID });
    expect(routeFromHash('#/dental')).toEqual({ page: 'dental' });
    expect(routeFromHash('#/scans/../../etc')).toEqual({ page: 'worklist' });
    expect(routeFromHash('#/reports/x')).toEqual({ page: 'worklist' });
    expect(routeFromHash('#/patients/x')).toEqual({ page: 'patients' });
  });

  it('round-trips and knows which section a detail page belongs to', () => {
    for (const route of [
      { page: 'jobs' },
      { page: 'scan', id: ID },
      { page: 'scan3d', id: ID },
      { page: 'patient', id: ID },
      { page: 'report', id: ID },
    ] as const)
      expect(routeFromHash(hashFor(route))).toEqual(route);
    expect(isSection({ page: 'scan', id: ID }, 'worklist')).toBe(true);
    expect(isSection({ page: 'patient', id: ID }, 'patients')).toBe(true);
    expect(isSection({ page: 'report', id: ID }, 'worklist')).toBe(true);
    expect(isSection({ page: 'jobs' }, 'worklist')).toBe(false);
  });
});

describe('pages of the roles limited to some patients', () => {
  it('gives a doctor their patients list and patient pages, and no lists of everyone', () => {
    for (const page of ['my-patients', 'patient', 'scan', 'report', 'account'] as const)
      expect(mayOpen('doctor', page), page).toBe(true);
    for (const page of [
      'worklist',
      'patients',
      'dashboard',
      'jobs',
      'accounts',
      'connect',
    ] as const)
      expect(mayOpen('doctor', page), page).toBe(false);
  });

  it('gives a patient account the connect page, and nobody else', () => {
    expect(mayOpen('patient', 'connect')).toBe(true);
    expect(mayOpen('patient', 'my-patients')).toBe(false);
    expect(mayOpen('admin', 'connect')).toBe(false);
    expect(mayOpen('admin', 'my-patients')).toBe(false);
    expect(routeFromHash('#/my-patients')).toEqual({ page: 'my-patients' });
  });
});
