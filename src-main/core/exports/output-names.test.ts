import { describe, expect, it } from 'vitest';
import { portableFileName } from './output-names.js';

describe('portableFileName', () => {
  it('replaces what Windows and ZIP entries refuse, and keeps the rest', () => {
    expect(portableFileName('AX:FLAIR/1?')).toBe('AX_FLAIR_1_');
    expect(portableFileName('tab\there')).toBe('tab_here');
    expect(portableFileName('Gehirn T2 (ä)')).toBe('Gehirn T2 (ä)');
  });
});
