import { AppError } from '../../../src-shared/errors.js';
import type { CallAuditor as AuditRecorder } from '../audit/call-auditor.js';
import type { ScanDetail } from '../scans/scan-service.js';
import type { StreamHandlers } from './stream-types.js';

/** The 3D viewer's read of a mesh attached to a scan: the STL file's bytes as imported. */
export function createAttachmentStreamHandlers(deps: {
  scanDetail: (scanId: string) => ScanDetail;
  readBlob: (sha256: string) => Promise<Uint8Array>;
  record: AuditRecorder;
}): Pick<StreamHandlers, 'attachments.mesh'> {
  return {
    'attachments.mesh': async ({ scanId, attachmentId }, call) => {
      const detail = deps.scanDetail(scanId);
      const attachment = detail.attachments.find((a) => a.id === attachmentId);
      if (attachment === undefined)
        throw new AppError('NOT_FOUND', 'This scan has no such attached mesh.');
      const file = detail.files.find((f) => f.id === attachment.fileId);
      if (file === undefined)
        throw new AppError('NOT_FOUND', "The attached mesh's file is no longer stored.");
      const data = await deps.readBlob(file.sha256);
      deps.record(call, 'attachments.read', scanId, { attachmentId });
      return {
        description: {
          attachmentId,
          scanId,
          description: attachment.description,
          triangleCount: attachment.triangleCount,
        },
        data,
      };
    },
  };
}
