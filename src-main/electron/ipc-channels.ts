/**
 * IPC channel names shared by main.ts and the preload. The preload cannot `require` this file
 * (sandboxed preloads load no local modules), so it repeats the literals typed as
 * `IpcChannels`: a rename here becomes a compile error there.
 */
export const IPC_CHANNELS = {
  /** invoke: (method, input, token) → Result */
  rpc: 'neurosphere:rpc',
  /** sendSync: → ContractNames, once when the preload loads */
  contract: 'neurosphere:contract',
  /** main → renderer: (eventName, payload) */
  event: 'neurosphere:event',
  /** main → renderer: a MenuCommand the renderer carries out with its own session */
  menu: 'neurosphere:menu',
  /** invoke: (kind) → absolute paths the user picked in a native dialog */
  chooseImportPaths: 'neurosphere:choose-import-paths',
  /** invoke: (batchId, name, bytes, token) → Result<UploadedFile>; one file of an upload batch */
  upload: 'neurosphere:upload',
  /** invoke: (scanId, index, token) → Result<{info, data}>; one decoded frame for the viewer */
  frame: 'neurosphere:frame',
  /** invoke: (scanId, 'heatmap' | 'overlay', token) → Result<ArrayBuffer>; a PNG of the analysis */
  analysisImage: 'neurosphere:analysis-image',
  /**
   * invoke: (scanId, 'analysis' | segmentationId, token) → Result<{info, data: ArrayBuffer}>;
   * a whole label volume on the scan's frame grid, for the viewer's overlay
   */
  labelVolume: 'neurosphere:label-volume',
} as const;

export type IpcChannels = typeof IPC_CHANNELS;

/** Menu items whose work needs the logged-in user's session, so the renderer performs them. */
export const MENU_COMMANDS = ['import-files', 'import-folder'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export const IMPORT_PICK_KINDS = ['files', 'folder'] as const;
export type ImportPickKind = (typeof IMPORT_PICK_KINDS)[number];

/** What the preload learns from main at load: the contract's method and event names. */
export interface ContractNames {
  readonly methods: readonly string[];
  readonly events: readonly string[];
}
