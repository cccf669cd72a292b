import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.js';
import { uploadFiles } from './upload-files.js';
import type { PlannedFile } from './upload-plan.js';

const planned = (name: string, size: number): PlannedFile => ({
  file: new File([new Uint8Array(size)], name),
  path: `dir/${name}`,
  uploadName: `dir/${name}`,
});

describe('uploadFiles', () => {
  it('sends every file, counts bytes and files, and collects per-file refusals', async () => {
    const sent: string[] = [];
    const api = {
      upload: (
        _batch: string,
        name: string,
        file: Blob,
        options?: { onProgress?: (n: number) => void },
      ) => {
        sent.push(name);
        if (name.endsWith('bad.dcm'))
          return Promise.reject(new ApiError({ code: 'INVALID_INPUT', message: 'Bad name.' }));
        options?.onProgress?.(file.size);
        return Promise.resolve({ name, bytes: file.size });
      },
    };
    const counters = { filesDone: 0, bytesSent: 0 };
    const files = [planned('a.dcm', 10), planned('bad.dcm', 5), planned('c.dcm', 7)];
    const rejected = await uploadFiles(api, 'b', files, counters, new AbortController().signal);
    expect(sent.sort()).toEqual(['dir/a.dcm', 'dir/bad.dcm', 'dir/c.dcm']);
    expect(counters).toEqual({ filesDone: 3, bytesSent: 22 });
    expect(rejected).toEqual([{ path: 'dir/bad.dcm', reason: 'Bad name.' }]);
  });

  it('stops everything on a failure that concerns the whole upload', async () => {
    const api = {
      upload: () =>
        Promise.reject(new ApiError({ code: 'UNAUTHENTICATED', message: 'Log in again.' })),
    };
    await expect(
      uploadFiles(
        api,
        'b',
        [planned('a.dcm', 1)],
        { filesDone: 0, bytesSent: 0 },
        new AbortController().signal,
      ),
    ).rejects.toThrow('Log in again.');
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const api = {
      upload: () => {
        controller.abort();
        return Promise.resolve({ name: 'x', bytes: 1 });
      },
    };
    const files = [
      planned('a.dcm', 1),
      planned('b.dcm', 1),
      planned('c.dcm', 1),
      planned('d.dcm', 1),
      planned('e.dcm', 1),
    ];
    await expect(
      uploadFiles(api, 'b', files, { filesDone: 0, bytesSent: 0 }, controller.signal),
    ).rejects.toThrow('cancelled');
  });
});
