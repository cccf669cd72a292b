import { describe, expect, it } from 'vitest';
import { savedFigure } from './measurement-panel.js';

describe('savedFigure', () => {
  it("shows the core's figures with their units", () => {
    expect(savedFigure([{ name: 'length', value: 42.34, unit: 'mm' }])).toBe('42.3 mm');
    expect(
      savedFigure([
        { name: 'area', value: 118.2, unit: 'mm²' },
        { name: 'mean', value: 34.21, unit: 'a.u.' },
        { name: 'sd', value: 5.1, unit: 'a.u.' },
        { name: 'min', value: 1, unit: 'a.u.' },
      ]),
    ).toBe('118 mm² · 34.2 ± 5.1 a.u.');
    expect(savedFigure([{ name: 'angle', value: 87.46, unit: '°' }])).toBe('87.5°');
    expect(savedFigure([{ name: 'length', value: 12, unit: 'px' }])).toBe('12.0 px');
    expect(savedFigure(undefined)).toBe('saving…');
  });
});
