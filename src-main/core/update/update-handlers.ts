import { resolve } from 'node:path';
import type { UpdateBundleSource } from '../../../src-shared/contract/updates.js';
import { AppError } from '../../../src-shared/errors.js';
import type { CallAuditor } from '../audit/call-auditor.js';
import type { ImportRoots } from '../import/import-roots.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { HandlerCall } from '../call-context.js';
import { uploadOwnerOfCall } from '../uploads/upload-owner.js';
import type { UploadService } from '../uploads/upload-service.js';
import type { OnlineUpdates } from './online-updates.js';
import type { UpdateFeed } from './update-feed.js';
import type { UpdateService } from './update-service.js';

type UpdateMethods =
  | 'updates.bundle.verify'
  | 'updates.bundle.apply'
  | 'updates.bundle.status'
  | 'updates.bundle.cancel'
  | 'updates.feed.get'
  | 'updates.feed.set'
  | 'updates.online.status'
  | 'updates.online.check'
  | 'updates.online.download'
  | 'updates.online.install';

/** The admin screen's Updates panel: offline bundles, and the connected updates of the desktop app. */
export function createUpdateHandlers(deps: {
  updates: UpdateService;
  feed: UpdateFeed;
  online: OnlineUpdates;
  uploads: Pick<UploadService, 'stagedFolder' | 'abort'>;
  roots: Pick<ImportRoots, 'check'>;
  record: CallAuditor;
}): HandlerMap<UpdateMethods> {
  /** The bundle's folder: over the network only inside a folder an admin allowed. */
  function folderOf(source: UpdateBundleSource, call: HandlerCall): string {
    if (source.kind === 'upload')
      return deps.uploads.stagedFolder(source.batchId, uploadOwnerOfCall(call.principal));
    if (call.context.transport !== 'http') return resolve(source.path);
    try {
      const [real] = deps.roots.check([source.path]);
      return real ?? source.path;
    } catch {
      throw new AppError(
        'PERMISSION_DENIED',
        `Cannot read the bundle at "${source.path}": it does not exist, cannot be read, or is outside the server folders an administrator allowed for import (importRoots.set). Upload the bundle's three files instead.`,
      );
    }
  }

  const describe = (source: UpdateBundleSource): string =>
    source.kind === 'upload' ? `upload ${source.batchId}` : source.path;

  return {
    'updates.bundle.verify': async (input, call) => {
      try {
        const info = await deps.updates.verify(folderOf(input.source, call));
        deps.record(call, 'updates.bundle.verify', describe(input.source), {
          version: info.version,
          outcome: 'genuine',
        });
        return info;
      } catch (error) {
        deps.record(call, 'updates.bundle.verify', describe(input.source), {
          outcome: 'refused',
          reason: error instanceof Error ? error.message : String(error),
        });
        throw error;
      }
    },
    'updates.bundle.apply': (input, call) => {
      const folder = folderOf(input.source, call);
      const { source } = input;
      // An uploaded bundle is discarded once applied (or refused): it was only a carrier.
      const cleanUp =
        source.kind === 'upload'
          ? async () => {
              await deps.uploads.abort(source.batchId, uploadOwnerOfCall(call.principal));
            }
          : undefined;
      const status = deps.updates.apply(folder, cleanUp);
      deps.record(call, 'updates.bundle.apply', describe(source));
      return status;
    },
    'updates.bundle.status': () => deps.updates.status(),
    'updates.bundle.cancel': (_input, call) => {
      const status = deps.updates.cancel();
      deps.record(call, 'updates.bundle.cancel', status.bundle?.version ?? null);
      return status;
    },
    'updates.feed.get': () => ({ url: deps.feed.get() }),
    'updates.feed.set': (input, call) => {
      const url = deps.feed.set(input.url);
      deps.record(call, 'updates.feed.set', url === '' ? null : url);
      return { url };
    },
    'updates.online.status': () => deps.online.status(),
    'updates.online.check': (_input, call) => {
      const status = deps.online.check();
      deps.record(call, 'updates.online.check', status.feedUrl);
      return status;
    },
    'updates.online.download': (_input, call) => {
      const status = deps.online.download();
      deps.record(call, 'updates.online.download', status.version);
      return status;
    },
    'updates.online.install': (_input, call) => {
      const status = deps.online.install();
      deps.record(call, 'updates.online.install', status.version);
      return status;
    },
  };
}
