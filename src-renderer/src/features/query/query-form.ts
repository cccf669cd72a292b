/** The query screen's search fields, as typed. */
export interface QueryForm {
  destinationId: string;
  patientName: string;
  patientId: string;
  /** YYYY-MM-DD from a date input, or ''. */
  dateFrom: string;
  dateTo: string;
  modality: string;
  accessionNumber: string;
}

export const EMPTY_QUERY: QueryForm = {
  destinationId: '',
  patientName: '',
  patientId: '',
  dateFrom: '',
  dateTo: '',
  modality: '',
  accessionNumber: '',
};

export const MODALITIES = ['CT', 'MR', 'PT', 'CR', 'DX', 'US', 'MG', 'XA', 'NM', 'OT'] as const;

const dicomDate = (value: string): string => value.replaceAll('-', '');

/**
 * The C-FIND keys of a form: a name without wildcard matches names that start with it (what
 * people expect of a search box), dates become a DICOM range, empty fields are left out.
 */
export function studyQueryOf(form: QueryForm): {
  destinationId: string;
  patientName?: string;
  patientId?: string;
  studyDate?: string;
  modality?: string;
  accessionNumber?: string;
} {
  const name = form.patientName.trim();
  const from = dicomDate(form.dateFrom.trim());
  const to = dicomDate(form.dateTo.trim());
  return {
    destinationId: form.destinationId,
    ...(name !== '' && { patientName: /[*?]/.test(name) ? name : `${name}*` }),
    ...(form.patientId.trim() !== '' && { patientId: form.patientId.trim() }),
    ...((from !== '' || to !== '') && {
      studyDate: from === to ? from : `${from}-${to}`,
    }),
    ...(form.modality !== '' && { modality: form.modality }),
    ...(form.accessionNumber.trim() !== '' && { accessionNumber: form.accessionNumber.trim() }),
  };
}

/** Whether the search names something: an empty query would list the whole PACS. */
export function hasCriteria(form: QueryForm): boolean {
  return [form.patientName, form.patientId, form.dateFrom, form.dateTo, form.accessionNumber].some(
    (v) => v.trim() !== '',
  );
}

/** The prefill of `#/query?patientId=…` (the "Priors" link of a patient). */
export function prefillOf(hash: string): Partial<QueryForm> {
  const query = hash.split('?')[1];
  if (query === undefined) return {};
  const params = new URLSearchParams(query);
  const patientId = params.get('patientId');
  return patientId === null ? {} : { patientId };
}

/** 20240310 → 2024-03-10 for display. */
export function formatDicomDate(value: string | null): string {
  return value !== null && /^\d{8}$/.test(value)
    ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}`
    : (value ?? '—');
}

/** DOE^JOHN → DOE, JOHN for display. */
export function formatPersonName(value: string | null): string {
  if (value === null) return '—';
  const [family = '', given = ''] = value.split('^');
  return given === '' ? family : `${family}, ${given}`;
}
