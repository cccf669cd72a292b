import { z } from 'zod';

/**
 * Where an update bundle (installer + update.json + update.json.sig) is: a folder on the
 * machine that runs Neurosphere (in browser mode only inside a folder an admin allowed for
 * import), or the three files uploaded into an upload batch (uploads.begin / uploads.put).
 */
export const updateBundleSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('server-path'),
      path: z.string().trim().min(1, 'Give the folder of the bundle.').max(4096),
    })
    .strict(),
  z.object({ kind: z.literal('upload'), batchId: z.string().min(1).max(100) }).strict(),
]);
export type UpdateBundleSource = z.infer<typeof updateBundleSourceSchema>;

export const updateBundleInputSchema = z.object({ source: updateBundleSourceSchema }).strict();

/** What the signed manifest of a verified bundle says. */
export const verifiedBundleSchema = z.object({
  version: z.string(),
  installedVersion: z.string(),
  installerFile: z.string(),
  installerKind: z.enum(['nsis', 'msi', 'dmg', 'appimage', 'deb']),
  platform: z.enum(['win32', 'darwin', 'linux']),
  size: z.number().int(),
  sha256: z.string(),
  createdAt: z.string(),
});
export type VerifiedBundleInfo = z.infer<typeof verifiedBundleSchema>;

/** The offline update of the admin screen: verify, then stage the installer with progress. */
export const updateBundleStatusSchema = z.object({
  phase: z.enum(['idle', 'applying', 'staged', 'failed', 'cancelled']),
  bundle: verifiedBundleSchema.nullable(),
  doneBytes: z.number(),
  totalBytes: z.number(),
  /** The refusal or failure, in words; null otherwise. */
  message: z.string().nullable(),
  stagedInstaller: z.string().nullable(),
  /** What the admin runs next (installing needs administrator rights and a closed app). */
  nextSteps: z.array(z.string()),
  updatedAt: z.string().nullable(),
});
export type UpdateBundleStatus = z.infer<typeof updateBundleStatusSchema>;

/** The clinic's own update server for electron-updater (connected sites, desktop app only). */
export const updateFeedSchema = z
  .object({
    /** An https:// address of a "generic" electron-updater feed; '' for none. */
    url: z.string().trim().max(2048),
  })
  .strict();
export type UpdateFeed = z.infer<typeof updateFeedSchema>;

/** Where a connected update stands; only an admin's action moves it on. */
export const onlineUpdateStatusSchema = z.object({
  /** False in browser (serve) mode: electron-updater runs only in the desktop app. */
  isAvailable: z.boolean(),
  state: z.enum([
    'idle',
    'checking',
    'up-to-date',
    'available',
    'downloading',
    'downloaded',
    'installing',
    'failed',
  ]),
  feedUrl: z.string(),
  version: z.string().nullable(),
  percent: z.number().nullable(),
  message: z.string().nullable(),
});
export type OnlineUpdateStatus = z.infer<typeof onlineUpdateStatusSchema>;
