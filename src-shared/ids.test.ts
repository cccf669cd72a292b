import { describe, expect, it } from 'vitest';
import { isAppError } from './errors.js';
import { asJobId, asPatientId, asScanId, scanIdSchema, type JobId, type ScanId } from './ids.js';

const SCAN = '00000000-0000-4000-8000-00000000000a';
const JOB = '00000000-0000-4000-8000-00000000000b';

const describeScan = (id: ScanId): string => `scan ${id}`;
const describeJob = (id: JobId): string => `job ${id}`;

describe('branded ids', () => {
  it('brand a UUID and stay the same string at run time', () => {
    expect(describeScan(asScanId(SCAN))).toBe(`scan ${SCAN}`);
    expect(describeJob(asJobId(JOB))).toBe(`job ${JOB}`);
    expect(scanIdSchema.parse(SCAN)).toBe(SCAN);
    // A branded id is still a string wherever a plain string will do.
    const plain: string = asScanId(SCAN);
    expect(plain).toBe(SCAN);
  });

  it('cannot be mixed: each wrong use below is a compile error (tsc -b checks this file)', () => {
    const scan = asScanId(SCAN);
    const job = asJobId(JOB);
    const patient = asPatientId(SCAN);
    // @ts-expect-error a job id is not a scan id
    describeScan(job);
    // @ts-expect-error a patient id is not a scan id, even with the same characters
    describeScan(patient);
    // @ts-expect-error a scan id is not a job id
    describeJob(scan);
    // @ts-expect-error a plain string must be branded first (asScanId() checks it is a UUID)
    describeScan(SCAN);
    expect(describeScan(scan)).toContain(SCAN);
  });

  it('refuses what is not a UUID, saying what an id looks like', () => {
    try {
      asScanId('scan-1');
      expect.unreachable('scanId accepted a non-UUID');
    } catch (error) {
      expect(isAppError(error) && error.code).toBe('INVALID_INPUT');
      expect((error as Error).message).toMatch(/"scan-1" is not a scan id: ids are UUIDs/);
    }
  });
});
