import type { DeidentifyDescription } from '../../../src-shared/contract/deidentify.js';
import type { CallAuditor as AuditRecorder } from '../audit/call-auditor.js';
import {
  deidentifyAuditDetails,
  type DeidentifyService,
} from '../deidentify/deidentify-service.js';
import type { StreamHandlers } from './stream-types.js';

/** The de-identified export as a ZIP download (the scan page's "De-identified export"). */
export function createDeidentifyStreamHandlers(deps: {
  deidentify: DeidentifyService;
  record: AuditRecorder;
}): Pick<StreamHandlers, 'deidentify.export'> {
  return {
    'deidentify.export': async (params, call) => {
      const zip = await deps.deidentify.zip(params);
      // Data leaves the app here: audited as an export with the options, never the pseudonym's source.
      deps.record(call, 'deidentify.export', params.id, deidentifyAuditDetails(params, zip));
      const description: DeidentifyDescription = {
        fileName: zip.fileName,
        files: zip.files.length,
        pseudonymIds: zip.pseudonymIds,
        burnedIn: zip.burnedIn,
        notes: zip.notes,
      };
      return { description, data: zip.bytes, filename: zip.fileName };
    },
  };
}
