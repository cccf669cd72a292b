import type { EncryptionStatus } from '../../../src-shared/contract/encryption.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { CallAuditor } from '../audit/call-auditor.js';
import type { DataDirEncryption } from './data-dir-encryption.js';
import { BLOB_CIPHER, DATABASE_CIPHER } from './encryption-file.js';

type EncryptionMethods = 'encryption.status' | 'encryption.confirmRecoveryKey';

export function encryptionStatus(encryption: DataDirEncryption | null): EncryptionStatus {
  if (encryption === null) {
    return {
      enabled: false,
      database: null,
      blobs: null,
      keySource: null,
      recoveryKeyConfirmed: false,
      recoveryKey: null,
    };
  }
  const recoveryKey = encryption.pendingRecoveryKey();
  return {
    enabled: true,
    database: DATABASE_CIPHER,
    blobs: BLOB_CIPHER,
    keySource: encryption.keySource,
    recoveryKeyConfirmed: recoveryKey === null,
    recoveryKey,
  };
}

/** The first-run screen shows the recovery key once; the admin confirms it is written down. */
export function createEncryptionHandlers(deps: {
  encryption: DataDirEncryption | null;
  record: CallAuditor;
}): HandlerMap<EncryptionMethods> {
  return {
    'encryption.status': (_input, call) => {
      const status = encryptionStatus(deps.encryption);
      // Who saw the recovery key, never the key itself.
      if (status.recoveryKey !== null) deps.record(call, 'encryption.recoveryKey.shown', null, {});
      return status;
    },
    'encryption.confirmRecoveryKey': (_input, call) => {
      deps.encryption?.confirmRecoveryKey();
      deps.record(call, 'encryption.recoveryKey.confirmed', null, {});
      return encryptionStatus(deps.encryption);
    },
  };
}
