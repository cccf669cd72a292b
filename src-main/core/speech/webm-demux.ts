import { AppError } from '../../../src-shared/errors.js';

// A minimal WebM (Matroska) reader for one thing: the Opus audio track a browser's
// MediaRecorder writes. It walks the EBML elements flat, descending into the masters that lead
// to the frames, so the "unknown size" Segment and Clusters MediaRecorder streams out read as
// well as the sized ones a file writer produces.

export interface WebmAudioTrack {
  codecId: string;
  channels: number;
  sampleRate: number;
  /** The codec's private data (OpusHead for Opus). */
  codecPrivate: Uint8Array | null;
  /** The track's frames in file order. */
  frames: Uint8Array[];
}

const ID = {
  ebml: 0x1a45dfa3,
  docType: 0x4282,
  segment: 0x18538067,
  tracks: 0x1654ae6b,
  trackEntry: 0xae,
  trackNumber: 0xd7,
  trackType: 0x83,
  codecId: 0x86,
  codecPrivate: 0x63a2,
  audio: 0xe1,
  samplingFrequency: 0xb5,
  channels: 0x9f,
  cluster: 0x1f43b675,
  blockGroup: 0xa0,
  block: 0xa1,
  simpleBlock: 0xa3,
} as const;

/** Masters whose children are read; every other element is skipped by its size. */
const DESCEND: ReadonlySet<number> = new Set([
  ID.ebml,
  ID.segment,
  ID.tracks,
  ID.trackEntry,
  ID.audio,
  ID.cluster,
  ID.blockGroup,
]);
const AUDIO_TRACK_TYPE = 2;

function notWebm(why: string): AppError {
  return new AppError(
    'UNSUPPORTED_FORMAT',
    `This file is not a readable WebM audio recording (${why}). Record again or upload the .webm file the recorder saved.`,
  );
}

interface Vint {
  value: number;
  length: number;
  /** All value bits set: the "unknown size" marker. */
  unknown: boolean;
}

/** An EBML variable-length integer; `keepMarker` for element ids, which keep their length bit. */
function readVint(bytes: Uint8Array, at: number, keepMarker: boolean): Vint | null {
  const first = bytes[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23;
  if (at + length > bytes.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const b = bytes[at + i] ?? 0;
    value = value * 256 + b;
    if (b !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

function readUint(bytes: Uint8Array): number {
  let value = 0;
  for (const b of bytes) value = value * 256 + b;
  return value;
}

function readFloat(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length === 4) return view.getFloat32(0);
  if (bytes.length === 8) return view.getFloat64(0);
  return 0;
}

/** The frames of one Block or SimpleBlock body (all three lacing kinds). */
function blockFrames(body: Uint8Array): { track: number; frames: Uint8Array[] } {
  const track = readVint(body, 0, false);
  if (track === null) throw notWebm('a block has no track number');
  const flags = body[track.length + 2] ?? 0;
  let at = track.length + 3;
  const lacing = (flags >> 1) & 3;
  if (lacing === 0) return { track: track.value, frames: [body.subarray(at)] };
  const count = (body[at] ?? 0) + 1;
  at += 1;
  const sizes: number[] = [];
  if (lacing === 1) {
    // Xiph lacing: each size a run of 255s and a last byte.
    for (let i = 0; i < count - 1; i++) {
      let size = 0;
      let b: number;
      do {
        b = body[at++] ?? 0;
        size += b;
      } while (b === 255);
      sizes.push(size);
    }
  } else if (lacing === 3) {
    // EBML lacing: the first size, then signed differences.
    const first = readVint(body, at, false);
    if (first === null) throw notWebm('a laced block is cut short');
    at += first.length;
    sizes.push(first.value);
    for (let i = 1; i < count - 1; i++) {
      const diff = readVint(body, at, false);
      if (diff === null) throw notWebm('a laced block is cut short');
      at += diff.length;
      const bias = 2 ** (7 * diff.length - 1) - 1;
      sizes.push((sizes[i - 1] ?? 0) + diff.value - bias);
    }
  } else {
    const each = Math.floor((body.length - at) / count);
    for (let i = 0; i < count - 1; i++) sizes.push(each);
  }
  const frames: Uint8Array[] = [];
  for (const size of sizes) {
    frames.push(body.subarray(at, at + size));
    at += size;
  }
  frames.push(body.subarray(at));
  return { track: track.value, frames };
}

/** Reads the first audio track of a WebM file and its frames. */
export function demuxWebmAudio(bytes: Uint8Array): WebmAudioTrack {
  if (readVint(bytes, 0, true)?.value !== ID.ebml) throw notWebm('it has no EBML header');
  interface Entry {
    number: number;
    type: number;
    codecId: string;
    codecPrivate: Uint8Array | null;
    channels: number;
    sampleRate: number;
  }
  const entries: Entry[] = [];
  let entry: Entry | null = null;
  let docType = '';
  const blocks: { track: number; body: Uint8Array }[] = [];
  let at = 0;
  while (at < bytes.length) {
    const id = readVint(bytes, at, true);
    const size = id === null ? null : readVint(bytes, at + id.length, false);
    // A recording cut off mid-element (the recorder stopped abruptly) ends here.
    if (id === null || size === null) break;
    const dataAt = at + id.length + size.length;
    if (DESCEND.has(id.value)) {
      if (id.value === ID.trackEntry) {
        entry = {
          number: 0,
          type: 0,
          codecId: '',
          codecPrivate: null,
          channels: 1,
          sampleRate: 48000,
        };
        entries.push(entry);
      }
      at = dataAt;
      continue;
    }
    if (size.unknown) throw notWebm('an element of unknown size cannot be skipped');
    const data = bytes.subarray(dataAt, Math.min(dataAt + size.value, bytes.length));
    switch (id.value) {
      case ID.docType:
        docType = new TextDecoder().decode(data);
        break;
      case ID.trackNumber:
        if (entry !== null) entry.number = readUint(data);
        break;
      case ID.trackType:
        if (entry !== null) entry.type = readUint(data);
        break;
      case ID.codecId:
        if (entry !== null) entry.codecId = new TextDecoder().decode(data).replace(/\0+$/, '');
        break;
      case ID.codecPrivate:
        if (entry !== null) entry.codecPrivate = data;
        break;
      case ID.channels:
        if (entry !== null) entry.channels = readUint(data);
        break;
      case ID.samplingFrequency:
        if (entry !== null) entry.sampleRate = readFloat(data);
        break;
      case ID.simpleBlock:
      case ID.block:
        blocks.push({ track: readVint(data, 0, false)?.value ?? 0, body: data });
        break;
    }
    at = dataAt + size.value;
  }
  if (docType !== 'webm' && docType !== 'matroska')
    throw notWebm(`its document type is "${docType || 'missing'}", not webm`);
  const audio = entries.find((e) => e.type === AUDIO_TRACK_TYPE || e.codecId.startsWith('A_'));
  if (audio === undefined) throw notWebm('it has no audio track');
  const frames: Uint8Array[] = [];
  for (const block of blocks) {
    if (block.track !== audio.number) continue;
    frames.push(...blockFrames(block.body).frames.filter((f) => f.length > 0));
  }
  return {
    codecId: audio.codecId,
    channels: audio.channels,
    sampleRate: audio.sampleRate,
    codecPrivate: audio.codecPrivate,
    frames,
  };
}
