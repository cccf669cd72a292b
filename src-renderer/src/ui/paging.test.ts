import { describe, expect, it } from 'vitest';
import { clampPage, pageSummary } from './paging.js';

const NOUN = ['scan', 'scans'] as const;

describe('pageSummary', () => {
  it('shows the range of the page and the total', () => {
    expect(pageSummary(2, 50, 230, NOUN)).toBe('Showing 51–100 of 230 scans');
    expect(pageSummary(5, 50, 230, NOUN)).toBe('Showing 201–230 of 230 scans');
    expect(pageSummary(1, 10, 1, NOUN)).toBe('Showing 1–1 of 1 scan');
  });

  it('says so when there is nothing, or the page is past the end', () => {
    expect(pageSummary(1, 10, 0, NOUN)).toBe('No scans');
    expect(pageSummary(9, 10, 12, NOUN)).toBe('12 scans');
  });
});

describe('clampPage', () => {
  it('keeps the page within 1..totalPages', () => {
    expect(clampPage(5, 3)).toBe(3);
    expect(clampPage(0, 3)).toBe(1);
    expect(clampPage(2, 0)).toBe(1);
    expect(clampPage(2, 3)).toBe(2);
  });
});
