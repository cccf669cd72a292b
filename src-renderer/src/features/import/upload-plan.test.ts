import { describe, expect, it } from 'vitest';
import { displayPath, planUpload, remainingSeconds, safeUploadName } from './upload-plan.js';

const file = (size: number): File => new File([new Uint8Array(size)], 'x');

describe('safeUploadName', () => {
  it('keeps ordinary relative paths', () => {
    expect(safeUploadName('CD/DICOM/IM0001')).toBe('CD/DICOM/IM0001');
  });

  it('replaces characters the server refuses and drops dangerous parts', () => {
    expect(safeUploadName('scan:1?.png')).toBe('scan_1_.png');
    expect(safeUploadName('..\\..\\etc/passwd')).toBe('etc/passwd');
    expect(safeUploadName('/abs/./x. ')).toBe('abs/x');
    expect(safeUploadName('..')).toBe('file');
  });
});

describe('planUpload', () => {
  it('refuses files over the limit and empties nothing else, naming duplicates apart', () => {
    const plan = planUpload(
      [
        { file: file(10), path: 'a/x.dcm' },
        { file: file(2000), path: 'big.dcm' },
        { file: file(5), path: 'a\\x.dcm' },
      ],
      1024,
    );
    expect(plan.files.map((f) => f.uploadName)).toEqual(['a/x.dcm', 'a/x.dcm~2']);
    expect(plan.totalBytes).toBe(15);
    expect(plan.rejected).toEqual([
      { path: 'big.dcm', reason: 'File is 0.0 MB; the limit is 0.0 MB.' },
    ]);
  });
});

describe('remainingSeconds', () => {
  it('extrapolates the average rate', () => {
    expect(remainingSeconds(25, 100, 1000)).toBe(3);
    expect(remainingSeconds(0, 100, 1000)).toBeNull();
    expect(remainingSeconds(10, 100, 100)).toBeNull();
    expect(remainingSeconds(100, 100, 1000)).toBe(0);
  });
});

describe('displayPath', () => {
  it('strips the staging folder of an upload', () => {
    expect(displayPath('/data/uploads/b/files/CD/IM1', '/data/uploads/b/files')).toBe('CD/IM1');
    expect(displayPath('/media/cd/IM1', '/data/uploads/b/files')).toBe('/media/cd/IM1');
    expect(displayPath('/media/cd/IM1', null)).toBe('/media/cd/IM1');
  });
});
