import type { Migration } from './migration.js';

/**
 * Analyses are made by pipelines and may refuse an input their models cannot read. The pipeline
 * and the applicability verdict get columns so that dashboards count only results that say
 * something about the patient. Rows written before keep their JSON as it is (the reader maps the
 * old shape) and count as 'unchecked': nothing was checked, and they were counted before.
 */
export const migration010: Migration = {
  version: 10,
  name: 'analysis-applicability',
  sql: `
ALTER TABLE analyses ADD COLUMN pipeline TEXT NOT NULL DEFAULT 'brain-mr-tumour';
ALTER TABLE analyses ADD COLUMN applicability TEXT NOT NULL DEFAULT 'unchecked'
  CHECK (applicability IN ('applicable', 'not-applicable', 'forced', 'unchecked'));
`,
};
