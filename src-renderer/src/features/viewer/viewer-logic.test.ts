import { describe, expect, it } from 'vitest';
import type { FrameInfo } from '../../../../src-shared/contract/frames.js';
import { frameToRgba } from './frame-pixels.js';
import {
  createNeurosphereLoader,
  imageIdFor,
  parseImageId,
  toCornerstoneImage,
} from './neurosphere-loader.js';
import {
  CT_PRESETS,
  defaultWindow,
  dragWindow,
  formatWindow,
  fullRangeWindow,
  percentileWindow,
  presetsFor,
} from './window-level.js';

const SCAN = '0c1d2e3f-1111-4222-8333-444455556666';

function ctInfo(overrides: Partial<FrameInfo> = {}): FrameInfo {
  return {
    scanId: SCAN,
    index: 0,
    frameCount: 5,
    rows: 1,
    columns: 3,
    samplesPerPixel: 1,
    dtype: 'int16',
    rescaleSlope: 1,
    rescaleIntercept: -1024,
    windowCenter: null,
    windowWidth: null,
    photometric: 'MONOCHROME2',
    pixelSpacing: [0.5, 0.6],
    minValue: 24,
    maxValue: 2024,
    ...overrides,
  };
}

describe('image ids', () => {
  it('round-trip and refuse anything else', () => {
    expect(parseImageId(imageIdFor(SCAN, 7))).toEqual({ scanId: SCAN, index: 7 });
    expect(parseImageId('wadouri:http://x/y')).toBeNull();
    expect(parseImageId(`neurosphere:${SCAN}/-1`)).toBeNull();
    expect(parseImageId('neurosphere:/etc/passwd/0')).toBeNull();
  });
});

describe('the neurosphere: image loader', () => {
  it('fetches the frame by opaque id and builds a cornerstone image in modality units', async () => {
    const asked: Array<[string, number]> = [];
    const loader = createNeurosphereLoader((scanId, index) => {
      asked.push([scanId, index]);
      return Promise.resolve({ info: ctInfo(), data: new Int16Array([24, 1064, 2024]).buffer });
    });
    const image = await loader(imageIdFor(SCAN, 2)).promise;
    expect(asked).toEqual([[SCAN, 2]]);
    expect(image).toMatchObject({
      rows: 1,
      columns: 3,
      slope: 1,
      intercept: -1024,
      minPixelValue: 24,
      maxPixelValue: 2024,
      windowCenter: 0,
      windowWidth: 2000,
      color: false,
      invert: false,
      columnPixelSpacing: 0.5,
      rowPixelSpacing: 0.6,
    });
    expect([...image.getPixelData()]).toEqual([24, 1064, 2024]);
  });

  it('rejects a foreign image id without fetching', async () => {
    const loader = createNeurosphereLoader(() => Promise.reject(new Error('should not fetch')));
    await expect(loader('file:///etc/passwd').promise).rejects.toThrow(
      'Not a Neurosphere image id',
    );
  });

  it('maps float frames onto integers with the same modality values, and RGB to RGBA', () => {
    const info = ctInfo({ dtype: 'float32', rescaleIntercept: 0, minValue: -1.5, maxValue: 2.5 });
    const image = toCornerstoneImage('x', info, new Float32Array([-1.5, 0.5, 2.5]).buffer);
    const modality = [...image.getPixelData()].map((v) => v * image.slope + image.intercept);
    expect(modality.map((v) => Math.round(v * 1000) / 1000)).toEqual([-1.5, 0.5, 2.5]);
    const rgb = toCornerstoneImage(
      'y',
      ctInfo({
        samplesPerPixel: 3,
        dtype: 'uint8',
        photometric: 'RGB',
        columns: 1,
        minValue: 0,
        maxValue: 255,
      }),
      new Uint8Array([10, 20, 30]).buffer,
    );
    expect(rgb.color).toBe(true);
    expect([...rgb.getPixelData()]).toEqual([10, 20, 30, 255]);
  });

  it('marks MONOCHROME1 frames as inverted', () => {
    expect(
      toCornerstoneImage('x', ctInfo({ photometric: 'MONOCHROME1' }), new Int16Array(3).buffer)
        .invert,
    ).toBe(true);
  });
});

describe('window/level', () => {
  it('uses the window from the file, else the full value range', () => {
    expect(defaultWindow(ctInfo({ windowCenter: 40, windowWidth: 80 }))).toEqual({
      center: 40,
      width: 80,
    });
    expect(defaultWindow(ctInfo())).toEqual({ center: 0, width: 2000 });
    expect(fullRangeWindow(ctInfo({ rescaleSlope: -1, rescaleIntercept: 0 }))).toEqual({
      center: -1024,
      width: 2000,
    });
  });

  it('offers the CT head presets for CT and windows from the data otherwise', () => {
    const stored = new Int16Array(100).map((_, i) => i * 20);
    const ct = presetsFor('CT', ctInfo(), stored);
    expect(ct.slice(0, 5).map((p) => p.id)).toEqual(CT_PRESETS.map((p) => p.id));
    const byKey = (key: string) => ct.find((p) => p.key === key);
    expect(byKey('1')).toMatchObject({ id: 'brain', center: 40, width: 80 });
    expect(byKey('2')).toMatchObject({ id: 'subdural', center: 75, width: 200 });
    expect(byKey('3')).toMatchObject({ id: 'stroke', center: 40, width: 40 });
    expect(byKey('4')).toMatchObject({ id: 'bone', center: 600, width: 2800 });
    expect(byKey('5')).toMatchObject({ id: 'soft-tissue', center: 40, width: 400 });
    expect(byKey('6')).toMatchObject({ id: 'dental-bone-teeth', center: 800, width: 3000 });
    expect(byKey('7')).toMatchObject({ id: 'dental-soft-tissue', center: 50, width: 500 });
    expect(byKey('8')).toMatchObject({ id: 'dental-implant', center: 2000, width: 6000 });
    expect(byKey('0')?.id).toBe('default');
    const other = presetsFor('US', ctInfo({ rescaleIntercept: 0 }), stored);
    expect(other.map((p) => p.id)).toEqual(['default', 'auto']);
  });

  it('offers FLAIR, T1 and T2 percentile windows of the head (not the air) for MR', () => {
    // Half background at 0, the head's values spread over 1000..1999.
    const stored = new Uint16Array(2000).map((_, i) => (i < 1000 ? 0 : i));
    const mr = presetsFor('MR', ctInfo({ rescaleIntercept: 0 }), stored, 5);
    expect(mr.slice(0, 3).map((p) => [p.key, p.id])).toEqual([
      ['1', 'flair'],
      ['2', 't1'],
      ['3', 't2'],
    ]);
    const flair = mr[0]!;
    // Background left out: the window starts near the head's lowest values, not at 0.
    expect(flair.center - flair.width / 2).toBeGreaterThan(1000);
    expect(flair.center + flair.width / 2).toBeGreaterThan(1980);
    expect(flair.note).toMatch(/5 slices across the volume/);
  });

  it('finds a robust window between the 1st and 99th percentile', () => {
    const stored = new Uint16Array(1000).map((_, i) => i);
    const window = percentileWindow(ctInfo({ rescaleIntercept: 0 }), stored);
    expect(window.center).toBeCloseTo(499, 0);
    expect(window.width).toBe(980);
  });

  it('drags: right widens, down raises the level, scaled to the value range', () => {
    const range = { low: -1000, high: 1000 };
    expect(dragWindow({ center: 40, width: 80 }, 256, 0, range, 512)).toEqual({
      center: 40,
      width: 1080,
    });
    expect(dragWindow({ center: 40, width: 80 }, 0, -128, range, 512)).toEqual({
      center: 540,
      width: 80,
    });
    expect(dragWindow({ center: 40, width: 80 }, -1000, 0, range, 512).width).toBe(1);
    expect(formatWindow({ center: 40, width: 80 })).toBe('C 40 / W 80');
  });
});

describe('frameToRgba', () => {
  it('applies the window linearly and clamps, inverting MONOCHROME1', () => {
    const info = ctInfo();
    const rgba = frameToRgba(info, new Int16Array([24, 1064, 2024]).buffer, {
      center: 40,
      width: 80,
    });
    expect([rgba[0], rgba[4], rgba[8]]).toEqual([0, 128, 255]);
    const inverted = frameToRgba(
      { ...info, photometric: 'MONOCHROME1' },
      new Int16Array([24, 1064, 2024]).buffer,
      {
        center: 40,
        width: 80,
      },
    );
    expect([inverted[0], inverted[8], inverted[3]]).toEqual([255, 0, 255]);
  });
});
