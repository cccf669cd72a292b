import { OpusDecoder } from 'opus-decoder';
import { AppError } from '../../../src-shared/errors.js';
import { demuxWebmAudio } from './webm-demux.js';

/** The speech model's input rate. */
export const SPEECH_SAMPLE_RATE = 16_000;

export interface DecodedSpeech {
  /** Mono samples at 16 kHz, in [-1, 1]. */
  samples: Float32Array;
  seconds: number;
  /** What the file held, for the caption's details. */
  channels: number;
}

interface OpusHead {
  channels: number;
  preSkip: number;
  mappingFamily: number;
  streamCount?: number;
  coupledStreamCount?: number;
  channelMappingTable?: number[];
}

function readOpusHead(data: Uint8Array | null, fallbackChannels: number): OpusHead {
  if (
    data === null ||
    data.length < 19 ||
    new TextDecoder().decode(data.subarray(0, 8)) !== 'OpusHead'
  )
    return { channels: fallbackChannels, preSkip: 0, mappingFamily: 0 };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const channels = data[9] ?? 1;
  const head: OpusHead = {
    channels,
    preSkip: view.getUint16(10, true),
    mappingFamily: data[18] ?? 0,
  };
  if (head.mappingFamily !== 0 && data.length >= 21 + channels) {
    head.streamCount = data[19] ?? 1;
    head.coupledStreamCount = data[20] ?? 0;
    head.channelMappingTable = [...data.subarray(21, 21 + channels)];
  }
  return head;
}

/**
 * Decodes a WebM/Opus recording (what MediaRecorder writes) to 16 kHz mono: the Opus decoder
 * (libopus compiled to WebAssembly) decodes straight to 16 kHz, and the channels are averaged.
 */
export async function decodeWebmSpeech(bytes: Uint8Array): Promise<DecodedSpeech> {
  const track = demuxWebmAudio(bytes);
  if (track.codecId !== 'A_OPUS')
    throw new AppError(
      'UNSUPPORTED_FORMAT',
      `The recording's audio is ${track.codecId || 'of an unknown codec'}, not Opus: record in the app or save the recording as WebM with Opus audio.`,
    );
  if (track.frames.length === 0)
    throw new AppError('INVALID_INPUT', 'The recording holds no sound: record the caption again.');
  const head = readOpusHead(track.codecPrivate, track.channels);
  const decoder = new OpusDecoder({
    sampleRate: SPEECH_SAMPLE_RATE,
    channels: head.channels,
    // The decoder counts pre-skip at 48 kHz, as OpusHead gives it.
    preSkip: head.preSkip,
    ...(head.streamCount !== undefined && {
      streamCount: head.streamCount,
      coupledStreamCount: head.coupledStreamCount ?? 0,
      channelMappingTable: head.channelMappingTable ?? [],
    }),
  });
  await decoder.ready;
  try {
    const decoded = decoder.decodeFrames(track.frames);
    const channels = decoded.channelData;
    const length = decoded.samplesDecoded;
    if (length === 0 || channels.length === 0)
      throw new AppError(
        'INVALID_INPUT',
        `The recording could not be decoded (${decoded.errors[0]?.message ?? 'no audio frames'}): record the caption again.`,
      );
    const samples = new Float32Array(length);
    for (const channel of channels)
      for (let i = 0; i < length; i++)
        samples[i] = (samples[i] ?? 0) + (channel[i] ?? 0) / channels.length;
    return { samples, seconds: length / SPEECH_SAMPLE_RATE, channels: head.channels };
  } finally {
    decoder.free();
  }
}
