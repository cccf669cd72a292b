import { actorOf } from '../auth/principal.js';
import type { CallAuditor } from '../audit/call-auditor.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { DicomWebService } from '../dicomweb/dicomweb-service.js';
import type { Clock } from '../platform/clock.js';
import type { DicomNodeService } from './dicom-node-service.js';
import type { DicomSource } from '../../../src-shared/contract/dicom-node.js';
import { chooseSource } from './choose-source.js';
import type { RetrieveTasks } from './retrieve-tasks.js';

type DicomNodeMethods =
  | 'dicom.node.get'
  | 'dicom.node.update'
  | 'dicom.destinations.save'
  | 'dicom.destinations.remove'
  | 'dicom.echo'
  | 'dicom.find'
  | 'dicom.retrieve'
  | 'dicom.send'
  | 'dicom.findSeries'
  | 'dicom.retrieve.start'
  | 'dicom.retrieve.list'
  | 'dicom.retrieve.cancel';

/** The DICOM node's settings and its SCU operations; what crosses the network is audited. */
export function createDicomNodeHandlers(deps: {
  node: DicomNodeService;
  retrieves: RetrieveTasks;
  /** Queries of a destination by DICOMweb (QIDO-RS) when it has an endpoint and asks for it. */
  dicomweb: Pick<DicomWebService, 'findStudies' | 'findSeries'>;
  record: CallAuditor;
  clock: Clock;
  /** A removed destination's keychain secret goes with it (docs/dicomweb.md). */
  onDestinationRemoved?: (id: string) => Promise<void>;
}): HandlerMap<DicomNodeMethods> {
  const { node, retrieves, record, clock } = deps;
  const peer = (destinationId: string) => node.peerOf(node.destination(destinationId));
  const sourceOf = (destinationId: string, asked: DicomSource | undefined) =>
    chooseSource(node.destination(destinationId), asked);
  return {
    'dicom.node.get': () => ({
      node: node.settings(),
      destinations: node.destinations(),
      status: node.status(),
    }),
    'dicom.node.update': async (input, call) => {
      const saved = await node.updateSettings(input, clock.iso());
      record(call, 'dicom.node.update', null, { ...saved });
      return saved;
    },
    'dicom.destinations.save': (input, call) => {
      const list = node.saveDestination(input, clock.iso());
      record(call, 'dicom.destinations.save', input.id, { ...input });
      return list;
    },
    'dicom.destinations.remove': async (input, call) => {
      const list = node.removeDestination(input.id, clock.iso());
      await deps.onDestinationRemoved?.(input.id);
      record(call, 'dicom.destinations.remove', input.id);
      return list;
    },
    'dicom.echo': (input) => node.echo(peer(input.destinationId)),
    'dicom.find': async (input, call) => {
      const { destinationId, source: asked, ...query } = input;
      const source = sourceOf(destinationId, asked);
      const matches =
        source === 'dicomweb'
          ? await deps.dicomweb.findStudies({ destinationId, ...query })
          : await node.find(peer(destinationId), query);
      record(call, 'dicom.find', destinationId, { ...query, source, matches: matches.length });
      return matches;
    },
    'dicom.retrieve': async (input, call) => {
      const result = await node.retrieve(peer(input.destinationId), input.studyInstanceUid);
      record(call, 'dicom.retrieve', input.studyInstanceUid, {
        destinationId: input.destinationId,
        completed: result.completed,
        failed: result.failed,
      });
      return result;
    },
    'dicom.send': async (input, call) => {
      const outcome = await node.sendScan(peer(input.destinationId), input.scanId);
      record(call, 'dicom.send', input.scanId, {
        destinationId: input.destinationId,
        sent: outcome.sent,
        failed: outcome.failed.length,
      });
      return { sent: outcome.sent, failed: outcome.failed.length };
    },
    'dicom.findSeries': async (input, call) => {
      const source = sourceOf(input.destinationId, input.source);
      const matches =
        source === 'dicomweb'
          ? await deps.dicomweb.findSeries(input.destinationId, input.studyInstanceUid)
          : await node.findSeries(peer(input.destinationId), input.studyInstanceUid);
      record(call, 'dicom.findSeries', input.studyInstanceUid, {
        destinationId: input.destinationId,
        source,
        matches: matches.length,
      });
      return matches;
    },
    'dicom.retrieve.start': (input, call) => {
      const task = retrieves.start({ ...input, actor: actorOf(call.principal) ?? undefined });
      record(call, 'dicom.retrieve.start', input.studyInstanceUid, {
        destinationId: input.destinationId,
        source: task.source,
        seriesInstanceUid: input.seriesInstanceUid ?? null,
        taskId: task.id,
      });
      return task;
    },
    'dicom.retrieve.list': () => retrieves.list(),
    'dicom.retrieve.cancel': async (input, call) => {
      const task = await retrieves.cancel(input.id);
      record(call, 'dicom.retrieve.cancel', task.studyInstanceUid, {
        taskId: task.id,
        received: task.received,
      });
      return task;
    },
  };
}
