import { AppError } from '../../../src-shared/errors.js';
import { actorOf } from '../auth/principal.js';
import type { CallAuditor } from '../audit/call-auditor.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { DestinationSecrets } from '../sync/destination-secrets.js';
import type { DicomWebService } from './dicomweb-service.js';

type DicomWebMethods =
  | 'dicomweb.test'
  | 'dicomweb.search'
  | 'dicomweb.retrieve'
  | 'dicomweb.secret.set'
  | 'dicomweb.secret.get';

/** DICOMweb of the PACS destinations; what crosses the network and every secret change is audited. */
export function createDicomWebHandlers(deps: {
  dicomweb: DicomWebService;
  secrets: DestinationSecrets;
  destinationExists(id: string): boolean;
  record: CallAuditor;
}): HandlerMap<DicomWebMethods> {
  const { dicomweb, secrets, record } = deps;
  const known = (id: string): void => {
    if (!deps.destinationExists(id))
      throw new AppError('NOT_FOUND', `No PACS destination "${id}": add it in Settings → DICOM.`);
  };
  return {
    'dicomweb.test': (input) => dicomweb.test(input.destinationId),
    'dicomweb.search': async (input, call) => {
      const matches = await dicomweb.search(input);
      const { destinationId, ...query } = input;
      record(call, 'dicomweb.search', destinationId, { ...query, matches: matches.length });
      return matches;
    },
    'dicomweb.retrieve': async (input, call) => {
      const result = await dicomweb.retrieve(input, {
        actor: actorOf(call.principal) ?? `dicomweb:${input.destinationId}`,
      });
      record(call, 'dicomweb.retrieve', input.studyInstanceUid, {
        destinationId: input.destinationId,
        ...(input.seriesInstanceUid !== undefined && {
          seriesInstanceUid: input.seriesInstanceUid,
        }),
        received: result.received,
        imported: result.imported,
        duplicates: result.duplicates,
        rejected: result.rejected,
      });
      return result;
    },
    'dicomweb.secret.set': async (input, call) => {
      known(input.destinationId);
      if (input.secret === '') await secrets.remove(input.destinationId);
      else await secrets.set(input.destinationId, input.secret);
      // The secret itself is never audited, only that it changed.
      record(call, 'dicomweb.secret.set', input.destinationId, { stored: input.secret !== '' });
      return { stored: input.secret !== '' };
    },
    'dicomweb.secret.get': async (input) => {
      known(input.destinationId);
      return { stored: (await secrets.get(input.destinationId)) !== null };
    },
  };
}
