/**
 * The treatment suggestions table for chest X-ray readings: the ONLY source of suggestion text
 * (docs/xray-readings.md). Nothing here is generated: each entry is general guidance, kept
 * faithful to the source it names, matched to the model's finding and the patient's age group.
 * Change an entry → bump `XRAY_SUGGESTIONS_VERSION`, so a stored answer says which text it used.
 */

/** What the chest X-ray model reports (src-shared/contract/analysis.ts `CHEST_XRAY_LABELS`). */
export type SuggestionFinding = 'pneumonia' | 'normal';
/** Adults (18 and over), children (under 18), or anyone. */
export type SuggestionPopulation = 'adult' | 'child' | 'any';

export interface SuggestionSource {
  /** Who published it, e.g. "NICE". */
  readonly publisher: string;
  /** The document, as its publisher names it. */
  readonly title: string;
  /** Its reference: number, year. */
  readonly reference: string;
  readonly url: string;
}

export interface SuggestionEntry {
  readonly id: string;
  readonly finding: SuggestionFinding;
  readonly population: SuggestionPopulation;
  /** The condition, as a clinician names it. */
  readonly condition: string;
  readonly treatment: string;
  readonly precautions: string;
  readonly source: SuggestionSource;
}

export const XRAY_SUGGESTIONS_VERSION = '2026-12-1';

/** Shown with every answer that carries suggestions, whoever asks. */
export const XRAY_SUGGESTIONS_DISCLAIMER =
  'These suggestions are general guidance from the sources named, matched to the model’s finding; they are not a diagnosis or a prescription. A clinician decides on any treatment after assessing the patient.';

const NICE_CG191: SuggestionSource = {
  publisher: 'NICE',
  title: 'Pneumonia in adults: diagnosis and management (CG191)',
  reference: 'NICE clinical guideline CG191, 2014, updated 2022',
  url: 'https://www.nice.org.uk/guidance/cg191',
};

const BTS_CHILDREN: SuggestionSource = {
  publisher: 'British Thoracic Society',
  title: 'Guidelines for the management of community acquired pneumonia in children',
  reference: 'Harris M et al., Thorax 2011;66 Suppl 2:ii1-23',
  url: 'https://www.brit-thoracic.org.uk/quality-improvement/guidelines/pneumonia-adults-and-children/',
};

const NICE_NG120: SuggestionSource = {
  publisher: 'NICE',
  title: 'Cough (acute): antimicrobial prescribing (NG120)',
  reference: 'NICE guideline NG120, 2019',
  url: 'https://www.nice.org.uk/guidance/ng120',
};

export const XRAY_SUGGESTIONS: readonly SuggestionEntry[] = [
  {
    id: 'pneumonia-adult',
    finding: 'pneumonia',
    population: 'adult',
    condition: 'Community-acquired pneumonia (adult)',
    treatment:
      'Assess severity with the CRB65 score in the community or CURB65 in hospital, together with clinical judgement. For low-severity pneumonia consider home care and a 5-day course of a single antibiotic; moderate or high severity needs hospital assessment. In hospital, give antibiotics within 4 hours of diagnosis.',
    precautions:
      'Explain the expected recovery: fever settled by 1 week, chest pain and sputum much reduced by 4 weeks, cough and breathlessness much reduced by 6 weeks, most symptoms gone by 3 months, fatigue possibly lasting up to 6 months. Advise seeking help if symptoms worsen quickly or do not improve as expected.',
    source: NICE_CG191,
  },
  {
    id: 'pneumonia-child',
    finding: 'pneumonia',
    population: 'child',
    condition: 'Community-acquired pneumonia (child)',
    treatment:
      'A child with a clear clinical diagnosis of pneumonia should receive antibiotics, as bacterial and viral pneumonia cannot be reliably told apart; amoxicillin is the first choice for oral treatment. Oxygen saturation below 92% calls for hospital referral and oxygen.',
    precautions:
      'A child treated in the community should be reviewed if deteriorating or not improving after 48 hours of treatment. Watch for danger signs: difficulty breathing, grunting, poor feeding, drowsiness.',
    source: BTS_CHILDREN,
  },
  {
    id: 'normal-any',
    finding: 'normal',
    population: 'any',
    condition: 'No pneumonia suggested on the radiograph',
    treatment:
      'No treatment follows from the radiograph itself. Manage the symptoms from the clinical assessment; a radiograph without signs of pneumonia makes pneumonia less likely but does not exclude it, nor other conditions the model does not look for.',
    precautions:
      'Give safety-net advice: seek medical help if symptoms worsen rapidly or significantly, breathing becomes difficult, or the person becomes systemically very unwell.',
    source: NICE_NG120,
  },
];

/** Every source the table names, once each, for the answer's citation. */
export const XRAY_SUGGESTION_SOURCES: readonly SuggestionSource[] = [
  NICE_CG191,
  BTS_CHILDREN,
  NICE_NG120,
];

/** The age that separates the adult and child entries (NICE CG191 covers adults, 18 and over). */
export const ADULT_AGE = 18;

/**
 * The entries for a finding and, where known, the patient's age: with no age, both the adult
 * and the child entry, so a clinician sees each.
 */
export function suggestionsFor(
  finding: SuggestionFinding,
  patientAge: number | null,
): SuggestionEntry[] {
  const population: SuggestionPopulation | null =
    patientAge === null ? null : patientAge >= ADULT_AGE ? 'adult' : 'child';
  return XRAY_SUGGESTIONS.filter(
    (entry) =>
      entry.finding === finding &&
      (population === null || entry.population === 'any' || entry.population === population),
  );
}
