import type { Migration } from './migration.js';

/**
 * A DICOM SEG is recorded as a segmentation, not as an instance, so its SOP Instance UID is kept
 * on the segmentation: a re-encoded copy of the same SEG (other bytes, same UID) is then a
 * duplicate, as a re-encoded image is. NULL for NIfTI label maps, which have no such UID.
 */
export const migration008: Migration = {
  version: 8,
  name: 'segmentation-sop-uid',
  sql: `
ALTER TABLE segmentations ADD COLUMN sop_instance_uid TEXT;
CREATE UNIQUE INDEX segmentations_sop_instance_uid ON segmentations(sop_instance_uid)
  WHERE sop_instance_uid IS NOT NULL;
`,
};
