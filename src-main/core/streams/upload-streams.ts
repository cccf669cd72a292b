import type { UploadService } from '../uploads/upload-service.js';
import { uploadOwnerOfCall } from '../uploads/upload-owner.js';
import type { StreamHandlers } from './stream-types.js';

/**
 * One file of an upload batch, streamed to the staging folder. Not audited per file (a CD is
 * thousands): `uploads.begin` and `uploads.commit` are the audited steps.
 */
export function createUploadStreamHandlers(deps: {
  uploads: UploadService;
}): Pick<StreamHandlers, 'uploads.put'> {
  return {
    'uploads.put': async ({ batchId, name }, call, body) => ({
      description: await deps.uploads.receive(
        batchId,
        name,
        uploadOwnerOfCall(call.principal),
        body.chunks,
        body.declaredBytes,
      ),
    }),
  };
}
