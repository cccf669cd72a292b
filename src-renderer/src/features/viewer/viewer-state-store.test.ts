import { describe, expect, it } from 'vitest';
import {
  MAX_STORED_SCANS,
  readViewerState,
  writeViewerState,
  type StorageLike,
} from './viewer-state-store.js';

function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
  };
}

const VIEW = {
  voi: { center: 40, width: 80 },
  scale: 2,
  translation: { x: 3, y: -4 },
  rotation: 90,
  hflip: true,
  vflip: false,
  invert: false,
};

describe('viewer state store', () => {
  it('keeps slice, view and masks shown per user and scan, merging patches', () => {
    const storage = memoryStorage();
    writeViewerState(storage, 'u1', 's1', { index: 7 });
    writeViewerState(storage, 'u1', 's1', { view: VIEW });
    writeViewerState(storage, 'u1', 's1', { masks: { showAnalysis: true, segmentationId: null } });
    expect(readViewerState(storage, 'u1', 's1')).toEqual({
      index: 7,
      view: VIEW,
      masks: { showAnalysis: true, segmentationId: null },
    });
    // Another user of the same browser, and another scan, start fresh.
    expect(readViewerState(storage, 'u2', 's1')).toEqual({});
    expect(readViewerState(storage, 'u1', 's2')).toEqual({});
  });

  it('drops malformed entries instead of applying them', () => {
    const storage = memoryStorage();
    storage.setItem(
      'neurosphere.viewer-state.u1',
      JSON.stringify({ s1: { index: -3, view: { ...VIEW, scale: 'big' }, masks: 5 } }),
    );
    expect(readViewerState(storage, 'u1', 's1')).toEqual({});
    storage.setItem('neurosphere.viewer-state.u1', '{not json');
    expect(readViewerState(storage, 'u1', 's1')).toEqual({});
  });

  it('keeps only the most recently used scans', () => {
    const storage = memoryStorage();
    for (let i = 0; i < MAX_STORED_SCANS + 5; i++)
      writeViewerState(storage, 'u1', `s${i}`, { index: i }, 1000 + i);
    expect(readViewerState(storage, 'u1', 's0')).toEqual({});
    expect(readViewerState(storage, 'u1', `s${MAX_STORED_SCANS + 4}`)).toEqual({
      index: MAX_STORED_SCANS + 4,
    });
    const stored = JSON.parse(storage.data.get('neurosphere.viewer-state.u1')!) as object;
    expect(Object.keys(stored)).toHaveLength(MAX_STORED_SCANS);
  });
});
