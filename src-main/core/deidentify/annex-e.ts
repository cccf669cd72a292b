import { ANNEX_E_TABLE } from './annex-e-table.js';

/** A basic profile action code (PS3.15 Table E.1-1a); `U*` keeps a sequence, its UIDs replaced. */
export type ActionCode = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U' | 'U*';

export type OptionColumn =
  'priv' | 'uids' | 'dev' | 'inst' | 'pat' | 'dates' | 'desc' | 'struct' | 'graph';

/** One row of Table E.1-1. */
export interface AnnexERow {
  /** `GGGGEEEE` in upper case; `x` for the repeating groups (50xx,xxxx), (60xx,3000). */
  tag: string;
  name: string;
  /** The basic profile's codes, e.g. ['X', 'Z', 'D'] for "X/Z/D". */
  basic: ActionCode[];
  /** Option column → its code ("K/C" for dates: full dates K, modified dates C). */
  options: Partial<Record<OptionColumn, string>>;
}

function parseRow(line: string): AnnexERow {
  const [tagText, basicText, optionsText, name] = line.split('|').map((part) => part.trim());
  if (tagText === undefined || basicText === undefined || name === undefined)
    throw new Error(`Annex E table: malformed row "${line}".`);
  const tag = tagText.replace(/[(),]/g, '').toUpperCase().replace(/X/g, 'x');
  const options: Partial<Record<OptionColumn, string>> = {};
  for (const option of (optionsText ?? '').split(/\s+/).filter((o) => o !== '')) {
    const [column, code] = option.split(':');
    options[column as OptionColumn] = code ?? '';
  }
  return { tag, name, basic: basicText.split('/') as ActionCode[], options };
}

/** Every row of the table, in the table's order. */
export const ANNEX_E_ROWS: readonly AnnexERow[] = ANNEX_E_TABLE.split('\n')
  .filter((line) => line.startsWith('('))
  .map(parseRow);

const BY_TAG = new Map(ANNEX_E_ROWS.filter((r) => !/[xG]/i.test(r.tag)).map((r) => [r.tag, r]));
const CURVE = ANNEX_E_ROWS.find((r) => r.tag === '50xxxxxx');
const OVERLAY_DATA = ANNEX_E_ROWS.find((r) => r.tag === '60xx3000');
const OVERLAY_COMMENTS = ANNEX_E_ROWS.find((r) => r.tag === '60xx4000');

/** The row of a (non-private) tag `GGGGEEEE`, repeating groups included; undefined if unlisted. */
export function annexERow(tag: string): AnnexERow | undefined {
  const upper = tag.toUpperCase();
  const exact = BY_TAG.get(upper);
  if (exact !== undefined) return exact;
  if (upper.startsWith('50') && parseInt(upper.slice(0, 4), 16) <= 0x50ff) return CURVE;
  if (upper.startsWith('60') && parseInt(upper.slice(0, 4), 16) <= 0x60ff) {
    if (upper.endsWith('3000')) return OVERLAY_DATA;
    if (upper.endsWith('4000')) return OVERLAY_COMMENTS;
  }
  return undefined;
}

/** Options of the profile Neurosphere offers (docs/deidentification.md). */
export interface DeidentifyOptions {
  /** Retain Longitudinal Temporal Information: 'off' (basic), 'full' dates, or dates shifted by an 'offset'. */
  dates: 'off' | 'full' | 'offset';
  retainPatientCharacteristics: boolean;
  retainUids: boolean;
}

export const BASIC_OPTIONS: DeidentifyOptions = {
  dates: 'off',
  retainPatientCharacteristics: false,
  retainUids: false,
};

/** What is done to one attribute: a table action, or a date shifted by the patient's offset. */
export type Resolved = ActionCode | 'SHIFT';

/**
 * The one action for an attribute under the chosen options. An option's K (or the dates
 * option's C, done as a shift by a fixed offset) overrides the basic profile; an option's C
 * that Neurosphere cannot do (cleaning free text, patient state) falls back to the basic
 * profile. Combined basic codes choose, without knowing the attribute's type in every IOD, the
 * one that keeps a file valid: U* (keep the sequence, replace its UIDs); for other sequences X
 * (they are Type 3 where they combine codes; a D-only sequence is emptied, Z: no item could be
 * trusted to be a dummy); for values D (a dummy satisfies Type 1), else Z, else X.
 */
export function resolveAction(
  row: AnnexERow,
  options: DeidentifyOptions,
  isSequence: boolean,
): Resolved {
  const { uids, pat, dates } = row.options;
  if (options.retainUids && uids === 'K') return 'K';
  if (options.retainPatientCharacteristics && pat === 'K') return 'K';
  if (dates !== undefined && options.dates === 'full') return 'K';
  if (dates !== undefined && options.dates === 'offset') return 'SHIFT';
  const codes = row.basic;
  if (codes.length === 1) {
    const only = codes[0]!;
    return isSequence && only === 'D' ? 'Z' : only;
  }
  if (codes.includes('U*')) return 'U*';
  // The combined sequences (Referenced Study, Institution Code, Operator Identification…) are
  // Type 3 in the image IODs: an empty one would be invalid, so they go.
  if (isSequence) return 'X';
  if (codes.includes('D')) return 'D';
  if (codes.includes('Z')) return 'Z';
  return 'X';
}
