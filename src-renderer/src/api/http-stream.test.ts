import { describe, expect, it } from 'vitest';
import { STREAM_DESCRIPTION_HEADER } from '../../../src-shared/contract/streams.js';
import { streamOverHttp, type XhrLike } from './http-stream.js';

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
  method = '';
  readonly headers: Record<string, string> = {};
  body: Blob | null = null;
  open(method: string, url: string): void {
    this.method = method;
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
  const result = streamOverHttp(
    { baseUrl: BASE, fetch: () => Promise.reject(new Error('no fetch')), openXhr: () => xhr },
    { name: 'uploads.put', params: { batchId: 'b-1', name: 'CD/IM 1.dcm' }, token: 'tok' },
    {
      body: new Blob(['0123456789']),
      onProgress: (bytes) => progress.push(bytes),
      ...(signal !== undefined && { signal }),
    },
  );
  return { xhr, progress, result };
}

/** A fetch that records what it was asked and answers `response`. */
function fakeFetch(response: () => Response) {
  const seen: Array<{ url: string; auth: string | null }> = [];
  const fetchFn: typeof fetch = (input, init) => {
    seen.push({ url: String(input), auth: new Headers(init?.headers).get('Authorization') });
    return Promise.resolve(response());
  };
  const openXhr = (): XhrLike => {
    throw new Error('a download needs no XHR');
  };
  return { seen, deps: { baseUrl: BASE, fetch: fetchFn, openXhr } };
}

const refusal = (code: string, message: string, status: number) => () =>
  new Response(JSON.stringify({ ok: false, error: { code, message } }), { status });

describe('streamOverHttp: uploads', () => {
  it('PUTs the raw file to the stream with the encoded params, reporting progress', async () => {
    const { xhr, progress, result } = startUpload();
    expect(xhr.method).toBe('PUT');
    expect(xhr.url).toBe(`${BASE}/api/stream/uploads.put?batchId=b-1&name=CD%2FIM+1.dcm`);
    expect(xhr.headers['Authorization']).toBe('Bearer tok');
    xhr.upload.onprogress?.({ loaded: 4 });
    xhr.answer(200, { ok: true, value: { name: 'CD/IM 1.dcm', bytes: 10 } });
    expect(await result).toEqual({
      ok: true,
      value: { description: { name: 'CD/IM 1.dcm', bytes: 10 }, data: new ArrayBuffer(0) },
    });
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

describe('streamOverHttp: downloads', () => {
  const info = { scanId: SCAN, index: 2, rows: 1, columns: 2 };

  it('GETs the stream with the token: bytes from the body, description from the header', async () => {
    const { seen, deps } = fakeFetch(
      () =>
        new Response(new Int16Array([0, 2000]).buffer, {
          headers: { [STREAM_DESCRIPTION_HEADER]: JSON.stringify(info) },
        }),
    );
    const result = await streamOverHttp(deps, {
      name: 'frames.read',
      params: { scanId: SCAN, index: 2 },
      token: 'tok',
    });
    expect(seen).toEqual([
      { url: `${BASE}/api/stream/frames.read?scanId=${SCAN}&index=2`, auth: 'Bearer tok' },
    ]);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.description).toEqual(info);
    expect([...new Int16Array(result.value.data)]).toEqual([0, 2000]);
  });

  it('answers a null description for kinds without one (a PNG)', async () => {
    const { deps } = fakeFetch(() => new Response(new Uint8Array([137, 80, 78, 71])));
    const result = await streamOverHttp(deps, {
      name: 'analysis.image',
      params: { scanId: SCAN, kind: 'overlay' },
      token: null,
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.description).toBeNull();
    expect([...new Uint8Array(result.value.data)]).toEqual([137, 80, 78, 71]);
  });

  it('passes a refusal through and maps other failures', async () => {
    const call = {
      name: 'labels.read',
      params: { scanId: SCAN, source: 'analysis' },
      token: 'tok',
    } as const;
    const refused = fakeFetch(refusal('NOT_FOUND', 'Not analysed.', 404));
    expect(await streamOverHttp(refused.deps, call)).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Not analysed.' },
    });
    const proxy = fakeFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    const bad = await streamOverHttp(proxy.deps, call);
    expect(!bad.ok && bad.error.code).toBe('REMOTE_UNREACHABLE');
    const down = {
      ...refused.deps,
      fetch: (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch,
    };
    const unreachable = await streamOverHttp(down, call);
    expect(!unreachable.ok && unreachable.error.code).toBe('REMOTE_UNREACHABLE');
  });

  it('answers CANCELLED when the signal aborts the download', async () => {
    const controller = new AbortController();
    const deps = {
      baseUrl: BASE,
      openXhr: (): XhrLike => {
        throw new Error('no XHR');
      },
      fetch: ((_input, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(new DOMException('', 'AbortError')));
        })) as typeof fetch,
    };
    const pending = streamOverHttp(
      deps,
      { name: 'frames.read', params: { scanId: SCAN, index: 0 }, token: 'tok' },
      { signal: controller.signal },
    );
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });
});
