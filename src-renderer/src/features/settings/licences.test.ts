import { describe, expect, it } from 'vitest';
import { BUNDLED_COMPONENTS, missingComponents } from './licences.js';

describe('bundled components', () => {
  it('reads every listed component with its version and licence from the installed packages', () => {
    expect(missingComponents()).toEqual([]);
    const react = BUNDLED_COMPONENTS.find((c) => c.name === 'react');
    expect(react).toMatchObject({ licence: 'MIT', version: expect.stringMatching(/^\d+\./) });
    for (const component of BUNDLED_COMPONENTS) expect(component.licence).not.toBe('');
  });
});
