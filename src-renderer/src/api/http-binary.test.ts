import { describe, expect, it } from 'vitest';
import {
  analysisImageOverHttp,
  FRAME_INFO_HEADER,
  frameOverHttp,
  LABEL_INFO_HEADER,
  labelVolumeOverHttp,
  uploadOverHttp,
  type XhrLike,
} from './http-binary.js';

const BASE = 'http://127.0.0.1:7878';
const SCAN = '00000000-0000-4000-8000-000000000001';

class FakeXhr implements XhrLike {
  status = 0;
  responseText = '';
  readonly upload: XhrLike['upload'] = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  url = '';
  readonly headers: Record<string, string> = {};
  body: Blob | null = null;
  open(_method: string, url: string): void {
    this.url = url;
  }
  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  send(body: Blob): void {
    this.body = body;
  }
  abort(): void {
    this.onabort?.();
  }
  answer(status: number, body: unknown): void {
    this.status = status;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.onload?.();
  }
}

function startUpload(signal?: AbortSignal) {
  const xhr = new FakeXhr();
  const progress: number[] = [];
  const result = uploadOverHttp(BASE, () => xhr, {
    batchId: 'b-1',
    name: 'CD/IM 1.dcm',
    file: new Blob(['0123456789']),
    token: 'tok',
    onProgress: (bytes) => progress.push(bytes),
    ...(signal !== undefined && { signal }),
  });
  return { xhr, progress, result };
}

describe('uploadOverHttp', () => {
  it('POSTs the raw file with the batch and the encoded name, reporting progress', async () => {
    const { xhr, progress, result } = startUpload();
    expect(xhr.url).toBe(`${BASE}/api/uploads?batch=b-1&name=CD%2FIM+1.dcm`);
    expect(xhr.headers['Authorization']).toBe('Bearer tok');
    xhr.upload.onprogress?.({ loaded: 4 });
    xhr.answer(200, { ok: true, value: { name: 'CD/IM 1.dcm', bytes: 10 } });
    expect(await result).toEqual({ ok: true, value: { name: 'CD/IM 1.dcm', bytes: 10 } });
    expect(progress).toEqual([4, 10]);
  });

  it('passes the core error through and maps other answers by status', async () => {
    const refused = startUpload();
    refused.xhr.answer(413, { ok: false, error: { code: 'FILE_TOO_LARGE', message: 'Too big.' } });
    expect(await refused.result).toEqual({
      ok: false,
      error: { code: 'FILE_TOO_LARGE', message: 'Too big.' },
    });
    const proxy = startUpload();
    proxy.xhr.answer(502, '<html>Bad gateway</html>');
    expect((await proxy.result).ok === false && (await proxy.result)).toMatchObject({
      error: { code: 'REMOTE_UNREACHABLE' },
    });
  });

  it('aborts the transfer when the signal fires', async () => {
    const controller = new AbortController();
    const { result } = startUpload(controller.signal);
    controller.abort();
    expect(await result).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });
});

describe('frameOverHttp', () => {
  const info = {
    scanId: SCAN,
    index: 2,
    frameCount: 3,
    rows: 1,
    columns: 2,
    samplesPerPixel: 1,
    dtype: 'int16',
    rescaleSlope: 1,
    rescaleIntercept: -1024,
    windowCenter: 40,
    windowWidth: 80,
    photometric: 'MONOCHROME2',
    pixelSpacing: [0.5, 0.5],
    minValue: 0,
    maxValue: 2000,
  };

  it('reads the pixels from the body and the FrameInfo from the header', async () => {
    let seen: { url: string; auth: string | null } | null = null;
    const fetchFn: typeof fetch = (input, init) => {
      seen = {
        url: String(input),
        auth: new Headers(init?.headers).get('Authorization'),
      };
      return Promise.resolve(
        new Response(new Int16Array([0, 2000]).buffer, {
          headers: { [FRAME_INFO_HEADER]: JSON.stringify(info) },
        }),
      );
    };
    const result = await frameOverHttp(BASE, fetchFn, SCAN, 2, 'tok');
    expect(seen).toEqual({ url: `${BASE}/api/frames/${SCAN}/2`, auth: 'Bearer tok' });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.info).toEqual(info);
    expect([...new Int16Array(result.value.data)]).toEqual([0, 2000]);
  });

  it('passes a refusal through, and refuses a frame without a valid FrameInfo', async () => {
    const refusing: typeof fetch = () =>
      Promise.resolve(
        new Response(
          JSON.stringify({ ok: false, error: { code: 'NOT_FOUND', message: 'Gone.' } }),
          {
            status: 404,
          },
        ),
      );
    expect(await frameOverHttp(BASE, refusing, SCAN, 0, 'tok')).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Gone.' },
    });
    const headerless: typeof fetch = () => Promise.resolve(new Response(new ArrayBuffer(4)));
    expect((await frameOverHttp(BASE, headerless, SCAN, 0, 'tok')).ok).toBe(false);
  });
});

describe('analysisImageOverHttp', () => {
  it('GETs the PNG with the token and answers it as an image/png Blob', async () => {
    let seen: { url: string; auth: string | null } | null = null;
    const fetchFn: typeof fetch = (input, init) => {
      seen = { url: String(input), auth: new Headers(init?.headers).get('Authorization') };
      return Promise.resolve(new Response(new Uint8Array([137, 80, 78, 71])));
    };
    const result = await analysisImageOverHttp(BASE, fetchFn, SCAN, 'overlay', 'tok');
    expect(seen).toEqual({ url: `${BASE}/api/analyses/${SCAN}/overlay.png`, auth: 'Bearer tok' });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.type).toBe('image/png');
    expect([...new Uint8Array(await result.value.arrayBuffer())]).toEqual([137, 80, 78, 71]);
  });

  it('passes a refusal through and maps other failures', async () => {
    const refusing: typeof fetch = () =>
      Promise.resolve(
        new Response(
          JSON.stringify({ ok: false, error: { code: 'NOT_FOUND', message: 'No heatmap.' } }),
          { status: 404 },
        ),
      );
    expect(await analysisImageOverHttp(BASE, refusing, SCAN, 'heatmap', null)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No heatmap.' },
    });
    const down: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));
    const result = await analysisImageOverHttp(BASE, down, SCAN, 'heatmap', null);
    expect(!result.ok && result.error.code).toBe('REMOTE_UNREACHABLE');
  });
});

describe('labelVolumeOverHttp', () => {
  const SEGMENTATION = '00000000-0000-4000-8000-0000000000aa';
  const info = {
    scanId: SCAN,
    source: SEGMENTATION,
    columns: 3,
    rows: 2,
    frames: 2,
    labels: [1, 4],
  };
  const labels = [0, 1, 1, 0, 0, 4, 0, 0, 0, 0, 4, 4];

  it('GETs the labels with the token: bytes from the body, LabelVolumeInfo from the header', async () => {
    let seen: { url: string; auth: string | null } | null = null;
    const fetchFn: typeof fetch = (input, init) => {
      seen = { url: String(input), auth: new Headers(init?.headers).get('Authorization') };
      return Promise.resolve(
        new Response(Uint8Array.from(labels), {
          headers: { [LABEL_INFO_HEADER]: JSON.stringify(info) },
        }),
      );
    };
    const result = await labelVolumeOverHttp(BASE, fetchFn, SCAN, SEGMENTATION, 'tok');
    expect(seen).toEqual({ url: `${BASE}/api/labels/${SCAN}/${SEGMENTATION}`, auth: 'Bearer tok' });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.info).toEqual(info);
    expect(result.value.data).toBeInstanceOf(Uint8Array);
    expect([...result.value.data]).toEqual(labels);
  });

  it('passes a refusal through, and refuses bytes that do not match their description', async () => {
    const refusing: typeof fetch = () =>
      Promise.resolve(
        new Response(
          JSON.stringify({ ok: false, error: { code: 'NOT_FOUND', message: 'Not analysed.' } }),
          { status: 404 },
        ),
      );
    expect(await labelVolumeOverHttp(BASE, refusing, SCAN, 'analysis', 'tok')).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Not analysed.' },
    });
    const truncated: typeof fetch = () =>
      Promise.resolve(
        new Response(new Uint8Array(5), {
          headers: { [LABEL_INFO_HEADER]: JSON.stringify(info) },
        }),
      );
    expect((await labelVolumeOverHttp(BASE, truncated, SCAN, 'analysis', 'tok')).ok).toBe(false);
    const headerless: typeof fetch = () => Promise.resolve(new Response(new Uint8Array(12)));
    expect((await labelVolumeOverHttp(BASE, headerless, SCAN, 'analysis', 'tok')).ok).toBe(false);
  });
});
