import type { Migration } from './migration.js';
import { migration001 } from './001-users-sessions.js';
import { migration002 } from './002-patients-studies-scans.js';
import { migration003 } from './003-jobs.js';
import { migration004 } from './004-audit-log.js';
import { migration005 } from './005-imaging-geometry.js';
import { migration006 } from './006-segmentations-attachments.js';
import { migration007 } from './007-analyses.js';
import { migration008 } from './008-segmentation-sop-uid.js';
import { migration009 } from './009-outbox.js';
import { migration010 } from './010-analysis-applicability.js';
import { migration011 } from './011-reports.js';
import { migration012 } from './012-measurements.js';
import { migration013 } from './013-accounts.js';
import { migration014 } from './014-audit-head.js';
import { migration015 } from './015-deidentification.js';
import { migration016 } from './016-refresh-tokens.js';
import { migration017 } from './017-visualizations.js';
import { migration018 } from './018-invitations-care-team.js';
import { migration019 } from './019-dental.js';
import { migration020 } from './020-audit-indexes.js';
import { migration021 } from './021-sync.js';
import { migration022 } from './022-scan-list-indexes.js';
import { migration027 } from './027-job-priority-readings.js';
import { migration028 } from './028-sync-order-kind.js';
import { migration030 } from './030-hub-sync.js';
import { migration032 } from './032-voice-captions.js';

export type { Migration } from './migration.js';

/** Every migration the code knows, in order. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
  migration014,
  migration015,
  migration016,
  migration017,
  migration018,
  migration019,
  migration020,
  migration021,
  migration022,
  migration027,
  migration028,
  migration030,
  migration032,
];
