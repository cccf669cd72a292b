import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { transferSyntaxOf } from '../imaging/dicom/transfer-syntax.js';
import type { Logger } from '../platform/logger.js';
import {
  dimse,
  type DimseAssociation,
  type DimseDataset,
  type DimseEchoRequest,
  type DimseEchoResponse,
  type DimsePresentationContext,
  type DimseStoreRequest,
  type DimseStoreResponse,
} from './dimse.js';
import type { ReceivedInstance } from './part10-wrap.js';

const { Dataset, Scp } = dimse;
const { CEchoResponse, CStoreResponse } = dimse.responses;
const { PresentationContextResult, RejectReason, RejectResult, RejectSource, SopClass, Status } =
  dimse.constants;

/** Storage SOP classes all live under this root (PS3.4 B.5); the node accepts every one. */
const STORAGE_ROOT = '1.2.840.10008.5.1.4.1.1.';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';

/** What became of a received instance: the status sent back to the modality. */
export type ReceiveOutcome =
  { status: 'stored' } | { status: 'duplicate' } | { status: 'rejected'; reason: string };

export interface StoreScpOptions {
  aeTitle: string;
  /** Calling AE titles allowed to connect; empty: any. */
  allowedCallers: readonly string[];
  /** Remote IP addresses allowed to connect; empty: any. */
  allowedHosts: readonly string[];
  /**
   * Stores one instance (its data set's bytes as received); resolves only once it is durable,
   * since the modality may delete its copy on our success answer.
   */
  receive(instance: ReceivedInstance, dataset: Buffer[]): Promise<ReceiveOutcome>;
  /** Largest data set accepted, in bytes (the import's file size limit). */
  maxBytes: number;
  /** An association ended (released, aborted or dropped): its instances are all in. */
  onAssociationEnd?(callingAeTitle: string): void;
  logger: Logger;
}

/**
 * A Writable keeping the chunks of one C-STORE data set as they arrive; past the size limit it
 * keeps nothing more (the instance is then refused) so a huge object cannot exhaust memory.
 */
class ChunkSink extends Writable {
  readonly chunks: Buffer[] = [];
  bytes = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  get isTooLarge(): boolean {
    return this.bytes > this.maxBytes;
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length;
    if (this.isTooLarge) this.chunks.length = 0;
    else this.chunks.push(chunk);
    done();
  }
}

/** Chooses Explicit VR Little Endian when offered, else the first syntax the readers know. */
function chooseTransferSyntax(offered: readonly string[]): string | undefined {
  if (offered.includes(EXPLICIT_LE)) return EXPLICIT_LE;
  return offered.find((uid) => transferSyntaxOf(uid) !== undefined);
}

const normaliseAe = (ae: string): string => ae.trim().toUpperCase();
/** IPv4 peers may show as ::ffff:a.b.c.d on a dual-stack socket. */
const normaliseHost = (host: string): string => host.replace(/^::ffff:/, '');

/**
 * The Storage SCP (and Verification SCP): accepts associations from allowed callers and hands
 * each instance to `receive`, answering success only after it resolves.
 */
function scpClass(options: StoreScpOptions) {
  const received = new WeakMap<DimseStoreRequest, ChunkSink>();
  return class NeurosphereScp extends Scp {
    private association: DimseAssociation | undefined;
    private readonly remoteHost: string;
    private isEnded = false;

    constructor(socket: Socket, opts?: Record<string, unknown>) {
      super(socket, opts);
      this.remoteHost = normaliseHost(socket.remoteAddress ?? '');
      socket.once('close', () => this.ended());
    }

    private ended(): void {
      if (this.isEnded || this.association === undefined) return;
      this.isEnded = true;
      options.onAssociationEnd?.(this.association.getCallingAeTitle());
    }

    override associationRequested(association: DimseAssociation): void {
      this.association = association;
      const calling = normaliseAe(association.getCallingAeTitle());
      const reject = (reason: number, why: string): void => {
        options.logger.warn('DICOM association refused', {
          callingAeTitle: calling,
          host: this.remoteHost,
          why,
        });
        this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, reason);
      };
      if (normaliseAe(association.getCalledAeTitle()) !== normaliseAe(options.aeTitle)) {
        reject(RejectReason.CalledAeNotRecognized, 'called AE title is not ours');
        return;
      }
      if (
        options.allowedCallers.length > 0 &&
        !options.allowedCallers.some((ae) => normaliseAe(ae) === calling)
      ) {
        reject(RejectReason.CallingAeNotRecognized, 'calling AE title not allowed');
        return;
      }
      if (options.allowedHosts.length > 0 && !options.allowedHosts.includes(this.remoteHost)) {
        reject(RejectReason.NoReasonGiven, 'host not allowed');
        return;
      }
      for (const { id } of association.getPresentationContexts()) {
        const context = association.getPresentationContext(id);
        const abstract = context.getAbstractSyntaxUid();
        if (abstract !== SopClass.Verification && !abstract.startsWith(STORAGE_ROOT)) {
          context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
          continue;
        }
        const syntax = chooseTransferSyntax(context.getTransferSyntaxUids());
        if (syntax === undefined)
          context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
        else context.setResult(PresentationContextResult.Accept, syntax);
      }
      this.sendAssociationAccept();
    }

    override associationReleaseRequested(): void {
      this.sendAssociationReleaseResponse();
    }

    override cEchoRequest(
      request: DimseEchoRequest,
      callback: (response: DimseEchoResponse) => void,
    ): void {
      const response = CEchoResponse.fromRequest(request);
      response.setStatus(Status.Success);
      callback(response);
    }

    // The data set's bytes are kept as they came (no parse here): the importer reads the file.
    override createStoreWritableStream(
      _context: DimsePresentationContext,
      request: DimseStoreRequest,
    ): Writable {
      const sink = new ChunkSink(options.maxBytes);
      received.set(request, sink);
      return sink;
    }

    override createDatasetFromStoreWritableStream(
      _writable: Writable,
      context: DimsePresentationContext,
      callback: (dataset: DimseDataset) => void,
    ): void {
      callback(new Dataset({}, context.getAcceptedTransferSyntaxUid() ?? EXPLICIT_LE));
    }

    override cStoreRequest(
      request: DimseStoreRequest,
      callback: (response: DimseStoreResponse) => void,
    ): void {
      const answer = (status: number, comment?: string): void => {
        const response = CStoreResponse.fromRequest(request);
        response.setStatus(status);
        // Error Comment is LO: at most 64 characters.
        if (comment !== undefined) response.setErrorComment(comment.slice(0, 64));
        callback(response);
      };
      const sink = received.get(request);
      received.delete(request);
      const transferSyntaxUid = request.getDataset()?.getTransferSyntaxUid();
      if (sink === undefined || transferSyntaxUid === undefined) {
        answer(Status.ProcessingFailure, 'No data set received');
        return;
      }
      if (sink.isTooLarge) {
        answer(Status.ProcessingFailure, `Larger than the limit of ${options.maxBytes} bytes`);
        return;
      }
      const instance: ReceivedInstance = {
        sopClassUid: request.getAffectedSopClassUid(),
        sopInstanceUid: request.getAffectedSopInstanceUid(),
        transferSyntaxUid,
        sourceAeTitle: this.association?.getCallingAeTitle().trim() ?? '',
      };
      options.receive(instance, sink.chunks).then(
        (outcome) => {
          if (outcome.status === 'rejected') answer(Status.ProcessingFailure, outcome.reason);
          else answer(Status.Success);
        },
        (error: unknown) => {
          options.logger.error('DICOM instance could not be stored', {
            sopInstanceUid: instance.sopInstanceUid,
            error,
          });
          // 0xA700 Out of Resources: the sender keeps its copy and may try again.
          answer(0xa700, 'Could not store the instance; try again');
        },
      );
    }

    override abort(): void {
      this.ended();
    }
  };
}

export interface StoreScpListener {
  /** The port listened on (the one asked for, or the one the system chose for 0). */
  readonly port: number;
  close(): Promise<void>;
}

/** Listens for DICOM associations on host:port until closed. */
export async function listenStoreScp(
  options: StoreScpOptions & { host: string; port: number },
): Promise<StoreScpListener> {
  const ScpClass = scpClass(options);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const scp = new ScpClass(socket, {
      associationTimeout: 30_000,
      pduTimeout: 60_000,
    });
    scp.on('networkError', (error: Error) => {
      options.logger.warn('DICOM connection error', { error: error.message });
      socket.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => options.logger.error('DICOM listener error', { error }));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
