import { describe, expect, it } from 'vitest';
import {
  EMPTY_QUERY,
  formatPersonName,
  hasCriteria,
  prefillOf,
  studyQueryOf,
} from './query-form.js';

describe('the query form', () => {
  it('matches a name from its start, turns dates into a DICOM range and leaves out empty fields', () => {
    expect(
      studyQueryOf({
        ...EMPTY_QUERY,
        destinationId: 'pacs',
        patientName: ' doe ',
        dateFrom: '2022-01-01',
        dateTo: '2022-12-31',
        modality: 'MR',
      }),
    ).toEqual({
      destinationId: 'pacs',
      patientName: 'doe*',
      studyDate: '20220101-20221231',
      modality: 'MR',
    });
    expect(studyQueryOf({ ...EMPTY_QUERY, destinationId: 'p', patientName: 'DOE^J?' })).toEqual({
      destinationId: 'p',
      patientName: 'DOE^J?',
    });
    expect(
      studyQueryOf({ ...EMPTY_QUERY, destinationId: 'p', dateFrom: '2022-03-04' }).studyDate,
    ).toBe('20220304-');
    expect(
      studyQueryOf({
        ...EMPTY_QUERY,
        destinationId: 'p',
        dateFrom: '2022-03-04',
        dateTo: '2022-03-04',
      }).studyDate,
    ).toBe('20220304');
  });

  it('refuses an empty search and reads the Priors prefill from the address', () => {
    expect(hasCriteria({ ...EMPTY_QUERY, destinationId: 'pacs', modality: 'CT' })).toBe(false);
    expect(hasCriteria({ ...EMPTY_QUERY, accessionNumber: 'A1' })).toBe(true);
    expect(prefillOf('#/query?patientId=MRN%2F7')).toEqual({ patientId: 'MRN/7' });
    expect(prefillOf('#/query')).toEqual({});
    expect(formatPersonName('DOE^JOHN')).toBe('DOE, JOHN');
  });
});
