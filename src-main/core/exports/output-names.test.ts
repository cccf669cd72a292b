import { describe, expect, it } from 'vitest';
import { outputBaseName, pathAsUploaded, portableFileName } from './output-names.js';

describe('portableFileName', () => {
  it('replaces what Windows and ZIP entries refuse, and keeps the rest', () => {
    expect(portableFileName('AX:FLAIR/1?')).toBe('AX_FLAIR_1_');
    expect(portableFileName('tab\there')).toBe('tab_here');
    expect(portableFileName('Gehirn T2 (ä)')).toBe('Gehirn T2 (ä)');
  });
});

describe('names of browser uploads', () => {
  const staging = '/data/uploads';
  it('drops the staging folders, keeping the path the browser sent', () => {
    expect(pathAsUploaded('/data/uploads/b-1/files/CD/IM0001.dcm', staging)).toBe('CD/IM0001.dcm');
    expect(pathAsUploaded('/data/uploads/b-1/files/brain.nii.gz', staging)).toBe('brain.nii.gz');
    expect(pathAsUploaded('/scans/uploads/b-1/files/x.dcm', staging)).toBe(
      '/scans/uploads/b-1/files/x.dcm',
    );
  });

  it('names an uploaded series by its folder, or by the fallback when it had none', () => {
    const series = ['slice-0001.dcm', 'slice-0002.dcm'];
    expect(outputBaseName(series, 'AX BRAIN')).toBe('AX BRAIN');
    expect(outputBaseName(['CD/IM1.dcm', 'CD/IM2.dcm'], 'AX BRAIN')).toBe('CD');
    expect(outputBaseName(['/import/AX_FLAIR/1.dcm', '/import/AX_FLAIR/2.dcm'], 'x')).toBe(
      'AX_FLAIR',
    );
  });
});
