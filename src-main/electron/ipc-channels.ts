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
  /**
   * invoke: (streamName, params, token, body?: ArrayBuffer) → Result<StreamAnswer>; every binary
   * call of the contract's stream table (frames, label volumes, pictures, uploads…)
   */
  stream: 'neurosphere:stream',
} as const;

export type IpcChannels = typeof IPC_CHANNELS;

/** What the preload learns from main at load: the contract's method, stream and event names. */
export interface ContractNames {
  readonly methods: readonly string[];
  readonly streams: readonly string[];
  readonly events: readonly string[];
}
