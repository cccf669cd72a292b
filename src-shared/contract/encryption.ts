import { z } from 'zod';

/** Encryption at rest of the data folder (docs/encryption.md), for the admin. */
export const encryptionStatusSchema = z.object({
  enabled: z.boolean(),
  /** The database's and the stored files' ciphers; null for a plain data folder. */
  database: z.string().nullable(),
  blobs: z.string().nullable(),
  /** Where the key that unwraps the data key is kept: "OS keychain" or "key file …". */
  keySource: z.string().nullable(),
  /** The admin confirmed the recovery key is written down. */
  recoveryKeyConfirmed: z.boolean(),
  /**
   * The recovery key, only until the admin confirms it is written down (13 groups of 4
   * characters); null afterwards, and never stored in clear.
   */
  recoveryKey: z.string().nullable(),
});
export type EncryptionStatus = z.infer<typeof encryptionStatusSchema>;
