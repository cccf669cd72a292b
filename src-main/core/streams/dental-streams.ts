import type { CallAuditor as AuditRecorder } from '../audit/call-auditor.js';
import type { DentalService } from '../dental/dental-service.js';
import type { VoiceCaptionService } from '../dental/voice-caption-service.js';
import type { StreamHandlers } from './stream-types.js';

/** A stored file of a dental case, served with its own MIME type, read in chunks. */
export function createDentalStreamHandlers(deps: {
  dental: DentalService;
  voice: VoiceCaptionService;
  record: AuditRecorder;
}): Pick<StreamHandlers, 'dental.file' | 'dental.voiceCaptions.upload'> {
  return {
    'dental.file': ({ fileId }, call) => {
      const { file, content } = deps.dental.file(fileId);
      deps.record(call, 'dental.file.download', file.caseId, {
        fileId,
        type: file.type,
        sha256: file.sha256,
      });
      return {
        description: {
          fileName: file.fileName,
          mimeType: file.mimeType,
          size: file.size,
          sha256: file.sha256,
        },
        data: content,
        filename: file.fileName,
        contentType: file.mimeType,
      };
    },
    // The upload is audited by the clinical writer (dental.voiceCaption.create).
    'dental.voiceCaptions.upload': async (params, call, body) => ({
      description: await deps.voice.upload(params, body.chunks, call.principal),
    }),
  };
}
