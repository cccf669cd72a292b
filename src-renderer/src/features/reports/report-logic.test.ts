import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../../../src-shared/contract/analysis.js';
import type { Report } from '../../../../src-shared/contract/reports.js';
import {
  amendBlockedReason,
  dicomBlockedReason,
  downloadFileName,
  editBlockedReason,
  isDirty,
  newestOf,
  signBlockedReason,
} from './report-logic.js';

const ID = (n: number): string => `0c1d2e3f-1111-4222-8333-${String(n).padStart(12, '0')}`;

function report(overrides: Partial<Report> = {}): Report {
  return {
    id: ID(1),
    scanId: ID(2),
    patientId: ID(3),
    version: 1,
    status: 'draft',
    findings: 'One lesion.',
    impression: '',
    analysisId: ID(4),
    createdBy: 'rita',
    createdAt: '2026-03-01T08:00:00.000Z',
    updatedAt: '2026-03-01T09:00:00.000Z',
    signedBy: null,
    signedAt: null,
    amends: null,
    changes: null,
    supersededBy: null,
    ...overrides,
  };
}

const radiologist = { role: 'radiologist', canWrite: true, canSign: true };
const technologist = { role: 'technologist', canWrite: false, canSign: false };

describe('report permissions and states', () => {
  it('lets a radiologist edit a draft, and sign it once there is an impression', () => {
    const draft = report();
    expect(editBlockedReason(draft, radiologist)).toBeNull();
    expect(signBlockedReason(draft, radiologist, '  ')).toMatch(/Write an impression first/);
    expect(signBlockedReason(draft, radiologist, 'Glioma suspected.')).toBeNull();
    expect(amendBlockedReason(draft, radiologist)).toMatch(/amend only a signed report/);
  });

  it('tells a technologist why they can neither edit nor sign', () => {
    const draft = report();
    expect(editBlockedReason(draft, technologist)).toMatch(/technologist\) reads reports/);
    expect(signBlockedReason(draft, technologist, 'Done.')).toMatch(/technologist\) may not sign/);
  });

  it('keeps a signed version read-only; only the newest one is amended', () => {
    const signed = report({ status: 'final', signedBy: 'rita', signedAt: '2026-03-02T10:00:00Z' });
    expect(editBlockedReason(signed, radiologist)).toMatch(/cannot be changed/);
    expect(amendBlockedReason(signed, radiologist)).toBeNull();
    expect(amendBlockedReason(signed, technologist)).toMatch(/may not amend/);
    const replaced = { ...signed, supersededBy: ID(9) };
    expect(amendBlockedReason(replaced, radiologist)).toMatch(/amended already/);
    expect(editBlockedReason(replaced, radiologist)).toMatch(/open the newest version/);
  });

  it('knows unsaved edits from the stored texts', () => {
    const r = report();
    expect(isDirty(r, { findings: r.findings, impression: r.impression })).toBe(false);
    expect(isDirty(r, { findings: r.findings, impression: 'x' })).toBe(true);
  });

  it('picks the newest version whatever the order', () => {
    const versions = [
      report({ version: 1 }),
      report({ id: ID(7), version: 3 }),
      report({ version: 2 }),
    ];
    expect(newestOf(versions)?.version).toBe(3);
    expect(newestOf([])).toBeUndefined();
  });
});

describe('downloadFileName', () => {
  it('puts the date after the patient name: the signature date, else the last edit', () => {
    const signed = report({ status: 'final', signedAt: '2026-03-02T10:00:00Z' });
    expect(downloadFileName('Zoe_Angstrom_report_v1.pdf', signed)).toMatch(
      /^Zoe_Angstrom_2026-03-0[12]_report_v1\.pdf$/,
    );
    expect(downloadFileName('Zoe_report_v2_DRAFT.pdf', report({ version: 2 }))).toMatch(
      /^Zoe_2026-03-0[12]_report_v2_DRAFT\.pdf$/,
    );
  });

  it('adds the date before the extension to a name of another shape, and never twice', () => {
    expect(downloadFileName('scan.pdf', report())).toMatch(/^scan_2026-03-0[12]\.pdf$/);
    const once = downloadFileName('Zoe_report_v1.pdf', report());
    expect(downloadFileName(once, report())).toBe(once);
  });
});

describe('dicomBlockedReason', () => {
  const analysis = (id: string, segmentation: boolean) =>
    ({
      id,
      findings: { kind: 'brain-tumour' },
      models: { segmentation: segmentation ? { id: 'flair', version: '1' } : null },
      outputs: { hasMask: segmentation },
    }) as unknown as Analysis;

  it('needs saved texts and, for the analysis the version reports, a mask', () => {
    expect(dicomBlockedReason(report(), analysis(ID(4), true), false)).toBeNull();
    expect(dicomBlockedReason(report(), analysis(ID(4), true), true)).toMatch(/^Save your changes/);
    expect(dicomBlockedReason(report(), analysis(ID(4), false), false)).toBe(
      'The analysis has no stored mask: analyse the scan again. There is no segmentation to send: download the PDF instead.',
    );
    // An older analysis, or none loaded yet: the core checks and answers in words.
    expect(dicomBlockedReason(report(), analysis(ID(9), false), false)).toBeNull();
    expect(dicomBlockedReason(report(), undefined, false)).toBeNull();
  });
});
