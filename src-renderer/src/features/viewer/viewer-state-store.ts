/**
 * The viewer state a reader expects to find again (slice, window/level, zoom and pan, rotation,
 * flips, invert, the overlay shown), per user and per scan, in the browser's localStorage. It
 * holds no patient data (ids, numbers and a label source), so it may outlive the session; it is
 * keyed by the user's id, so another user of the same browser starts fresh. Only the most
 * recently opened scans are kept.
 */

export interface StoredView {
  readonly voi: { readonly center: number; readonly width: number } | null;
  readonly scale: number;
  readonly translation: { readonly x: number; readonly y: number };
  readonly rotation: number;
  readonly hflip: boolean;
  readonly vflip: boolean;
  readonly invert: boolean;
}

export interface StoredViewerState {
  readonly index?: number;
  readonly view?: StoredView;
  /** Which masks were drawn: the analysis's, an imported segmentation (label styles are not kept). */
  readonly masks?: { readonly showAnalysis: boolean; readonly segmentationId: string | null };
  /** When it was last written (ms since the epoch), to keep only the recent ones. */
  readonly at?: number;
}

/** The slice of the Web Storage API this needs (localStorage in the app). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const MAX_STORED_SCANS = 200;

const keyOf = (userId: string): string => `neurosphere.viewer-state.${userId}`;

function readAll(storage: StorageLike, userId: string): Record<string, StoredViewerState> {
  try {
    const raw = storage.getItem(keyOf(userId));
    const parsed = raw === null ? null : (JSON.parse(raw) as unknown);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, StoredViewerState>)
      : {};
  } catch {
    return {};
  }
}

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

function validView(view: unknown): StoredView | undefined {
  if (typeof view !== 'object' || view === null) return undefined;
  const v = view as Partial<StoredView>;
  const voiOk =
    v.voi === null || (isNumber(v.voi?.center) && isNumber(v.voi?.width) && v.voi.width > 0);
  if (
    !voiOk ||
    !isNumber(v.scale) ||
    v.scale <= 0 ||
    !isNumber(v.translation?.x) ||
    !isNumber(v.translation?.y) ||
    !isNumber(v.rotation) ||
    typeof v.hflip !== 'boolean' ||
    typeof v.vflip !== 'boolean' ||
    typeof v.invert !== 'boolean'
  )
    return undefined;
  return v as StoredView;
}

/** The state stored for this user and scan; anything malformed (an older build) is dropped. */
export function readViewerState(
  storage: StorageLike,
  userId: string,
  scanId: string,
): StoredViewerState {
  const stored = readAll(storage, userId)[scanId];
  if (typeof stored !== 'object' || stored === null) return {};
  const view = validView(stored.view);
  const masks = stored.masks;
  const masksOk =
    typeof masks === 'object' &&
    masks !== null &&
    typeof masks.showAnalysis === 'boolean' &&
    (masks.segmentationId === null || typeof masks.segmentationId === 'string');
  return {
    ...(isNumber(stored.index) && stored.index >= 0 && { index: Math.floor(stored.index) }),
    ...(view !== undefined && { view }),
    ...(masksOk && {
      masks: { showAnalysis: masks.showAnalysis, segmentationId: masks.segmentationId },
    }),
  };
}

/** Merges `patch` into the stored state of this scan; keeps the MAX_STORED_SCANS most recent. */
export function writeViewerState(
  storage: StorageLike,
  userId: string,
  scanId: string,
  patch: StoredViewerState,
  now = Date.now(),
): void {
  const all = readAll(storage, userId);
  all[scanId] = { ...all[scanId], ...patch, at: now };
  const kept = Object.entries(all)
    .sort(([, a], [, b]) => (b.at ?? 0) - (a.at ?? 0))
    .slice(0, MAX_STORED_SCANS);
  try {
    storage.setItem(keyOf(userId), JSON.stringify(Object.fromEntries(kept)));
  } catch {
    // Full or disabled storage: the state then lasts as long as the page.
  }
}
