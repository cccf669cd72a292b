import { describe, expect, it } from 'vitest';
import type { Scan } from '../../../../src-shared/contract/entities.js';
import { preferredSeriesOf, priorOf, seriesKindOf } from './hanging-protocol.js';

let n = 0;
function scan(fields: Partial<Scan>): Scan {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    patientId: 'p1',
    patientName: 'Doe^Jane',
    patientMrn: null,
    studyId: 'study-now',
    seriesId: null,
    kind: 'series',
    format: 'dicom',
    modality: 'MR',
    description: null,
    status: 'imported',
    rows: 256,
    columns: 256,
    slices: 24,
    spacing: [1, 1, 5],
    acquiredAt: '2024-06-01',
    createdAt: '2024-06-01T10:00:00.000Z',
    dims: null,
    origin: null,
    direction: null,
    warnings: [],
    ...fields,
  };
}

describe('hanging protocol', () => {
  it('names series kinds from their descriptions', () => {
    const kind = (description: string, modality = 'MR') => seriesKindOf({ description, modality });
    expect(kind('AX T2 FLAIR')).toBe('FLAIR');
    expect(kind('T1 AX POST GAD')).toBe('T1C');
    expect(kind('Sag T1 MPRAGE')).toBe('T1');
    expect(kind('AX T2 FSE')).toBe('T2');
    expect(kind('DWI b1000')).toBe('DWI');
    expect(kind('Head', 'CT')).toBe('CT');
    expect(kind('Localizer')).toBeNull();
  });

  it('opens the axial FLAIR of a brain MR study first', () => {
    const series = [
      scan({ description: 'SAG T1' }),
      scan({ description: 'COR FLAIR', slices: 30 }),
      scan({ description: 'AX FLAIR', slices: 24 }),
      scan({ description: 'AX T2' }),
    ];
    expect(preferredSeriesOf(series)?.description).toBe('AX FLAIR');
    expect(preferredSeriesOf([series[0]!, series[3]!])?.description).toBe('SAG T1');
    expect(preferredSeriesOf([])).toBeNull();
  });

  it('offers the latest earlier series of the same kind from another study', () => {
    const now = scan({ description: 'AX FLAIR', acquiredAt: '2024-06-01' });
    const older = scan({ description: 'Ax T2 Flair', studyId: 's1', acquiredAt: '2023-01-10' });
    const prior = scan({ description: 'FLAIR axial', studyId: 's2', acquiredAt: '2023-11-20' });
    const t1 = scan({ description: 'AX T1', studyId: 's2', acquiredAt: '2023-11-20' });
    const sameStudy = scan({ description: 'AX FLAIR 2', acquiredAt: '2024-05-01' });
    const later = scan({ description: 'AX FLAIR', studyId: 's3', acquiredAt: '2024-09-01' });
    const otherPatient = scan({
      description: 'AX FLAIR',
      patientId: 'p2',
      studyId: 's4',
      acquiredAt: '2024-01-01',
    });
    expect(priorOf(now, [older, prior, t1, sameStudy, later, otherPatient])?.id).toBe(prior.id);
    expect(priorOf(now, [t1, later])).toBeNull();
  });
});
