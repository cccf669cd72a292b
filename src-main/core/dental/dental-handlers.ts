import type { CallAuditor } from '../audit/call-auditor.js';
import type { ImportRoots } from '../import/import-roots.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { UploadService } from '../uploads/upload-service.js';
import { uploadOwnerOfCall } from '../uploads/upload-owner.js';
import type { DentalService } from './dental-service.js';
import { dentalPartsOfUpload } from './dental-upload.js';
import type { VoiceCaptionService } from './voice-caption-service.js';

type DentalMethods =
  | 'dental.cases.create'
  | 'dental.cases.list'
  | 'dental.cases.get'
  | 'dental.cases.move'
  | 'dental.folders.list'
  | 'dental.folders.create'
  | 'dental.folders.rename'
  | 'dental.captions.list'
  | 'dental.captions.add'
  | 'dental.captions.edit'
  | 'dental.files.list'
  | 'dental.cases.createFromUpload'
  | 'dental.voiceCaptions.list'
  | 'dental.voiceCaptions.get'
  | 'dental.voiceCaptions.retranscribe';

/** Dental cases. Reads of clinical data are audited here; changes by the clinical writer. */
export function createDentalHandlers(deps: {
  dental: DentalService;
  uploads: UploadService;
  voice: VoiceCaptionService;
  record: CallAuditor;
  /** Over the network, paths name the server's files: only allowed folders (as import.files). */
  roots: ImportRoots;
}): HandlerMap<DentalMethods> {
  const { dental, uploads, voice, record } = deps;
  return {
    'dental.cases.create': (input, call) => {
      if (call.context.transport === 'http') {
        const given = [input.upperStl, input.lowerStl, input.cbct];
        try {
          const [upperStl, lowerStl, cbct] = given.map((path) =>
            path === undefined ? undefined : deps.roots.check([path])[0],
          );
          input = {
            ...input,
            ...(upperStl !== undefined && { upperStl }),
            ...(lowerStl !== undefined && { lowerStl }),
            ...(cbct !== undefined && { cbct }),
          };
        } catch (error) {
          record(call, 'dental.cases.refused', null, { paths: given.filter(Boolean).length });
          throw error;
        }
      }
      return dental.createCase(input, call.principal);
    },
    'dental.cases.list': (input, call) => {
      const page = dental.listCases(input);
      record(call, 'dental.cases.list', null, { count: page.items.length });
      return page;
    },
    'dental.cases.get': (input, call) => {
      const found = dental.getCase(input.id);
      record(call, 'dental.cases.get', input.id);
      return found;
    },
    'dental.cases.move': (input, call) =>
      dental.moveCase(input.caseId, input.folderId, call.principal),
    'dental.folders.list': () => dental.folders(),
    'dental.folders.create': (input, call) => dental.createFolder(input.name, call.principal),
    'dental.folders.rename': (input, call) =>
      dental.renameFolder(input.id, input.name, call.principal),
    'dental.captions.list': (input, call) => {
      const list = dental.captions(input.caseId);
      record(call, 'dental.captions.list', input.caseId, { count: list.length });
      return list;
    },
    'dental.captions.add': (input, call) => dental.addCaption(input, call.principal),
    'dental.captions.edit': (input, call) =>
      dental.editCaption(input.id, input.text, call.principal),
    'dental.files.list': (input, call) => {
      const page = dental.registry(input);
      record(call, 'dental.files.list', input.caseId ?? null, { count: page.items.length });
      return page;
    },
    'dental.cases.createFromUpload': async (input, call) => {
      const owner = uploadOwnerOfCall(call.principal);
      const parts = await dentalPartsOfUpload(uploads.stagedFolder(input.batchId, owner));
      const created = await dental.createCase(
        {
          name: input.name,
          ...(input.patientId !== undefined && { patientId: input.patientId }),
          ...(input.folderId !== undefined && { folderId: input.folderId }),
          ...parts,
        },
        call.principal,
      );
      // The STLs are stored now; the CBCT's import job still reads the staged files, and the
      // batch goes when that job completes (or now, when there is no CBCT).
      await uploads.handOver(input.batchId, owner, created.cbct?.jobId ?? null);
      record(call, 'dental.cases.createFromUpload', created.id, { uploadBatch: input.batchId });
      return created;
    },
    'dental.voiceCaptions.list': (input, call) => {
      const list = voice.list(input.caseId);
      record(call, 'dental.voiceCaptions.list', input.caseId, { count: list.length });
      return list;
    },
    'dental.voiceCaptions.get': (input, call) => {
      const found = voice.get(input.id);
      record(call, 'dental.voiceCaptions.get', found.caseId, { voiceCaptionId: input.id });
      return found;
    },
    'dental.voiceCaptions.retranscribe': (input, call) =>
      voice.retranscribe(input.id, call.principal),
  };
}
