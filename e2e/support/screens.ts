import type { Page } from '@playwright/test';

/** Screenshots of the main screens, kept as test artifacts (test-results/screens/). */
export async function saveScreen(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  const suffix = size === null ? '' : `-${size.width}x${size.height}`;
  await page.screenshot({ path: `test-results/screens/${name}${suffix}.png` });
}

/** The same screen at 4K as well: layout problems at large sizes show up here. */
export async function saveScreenAt4k(page: Page, name: string): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 3840, height: 2160 });
  await saveScreen(page, name);
  if (before !== null) await page.setViewportSize(before);
}
