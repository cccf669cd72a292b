import { expect, type Locator, type Page } from '@playwright/test';

/** What the viewport's canvas shows, read back from its pixels. */
export interface CanvasSample {
  readonly width: number;
  readonly height: number;
  /** Mean grey level (0..255) over the canvas. */
  readonly mean: number;
  /** How many distinct grey levels appear (a blank canvas has one). */
  readonly levels: number;
  /** Fraction of pixels brighter than black. */
  readonly litFraction: number;
  /** A fingerprint of the picture, to tell two renderings apart. */
  readonly histogram: number[];
}

/** The scan page's viewer: viewport, presets, tools, and the pixels it drew. */
export class ViewerPage {
  readonly viewport: Locator;
  constructor(readonly page: Page) {
    this.viewport = page.getByTestId('viewport');
  }

  async renderCount(): Promise<number> {
    return Number(await this.viewport.getAttribute('data-render-count'));
  }

  /** Waits for cornerstone to have drawn at least `count` frames. */
  async waitForRender(after = 0): Promise<number> {
    await expect(this.viewport).toHaveAttribute('data-state', 'ready');
    await expect.poll(() => this.renderCount()).toBeGreaterThan(after);
    return this.renderCount();
  }

  /** Reads the cornerstone canvas back: proof of what was really drawn, not that an element exists. */
  async sampleCanvas(): Promise<CanvasSample> {
    return this.viewport.evaluate((element) => {
      const canvas = element.querySelector('canvas.cornerstone-canvas');
      if (!(canvas instanceof HTMLCanvasElement)) throw new Error('no cornerstone canvas');
      const context = canvas.getContext('2d');
      if (context === null) throw new Error('no 2D context');
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      const histogram = new Array<number>(16).fill(0);
      const seen = new Set<number>();
      let sum = 0;
      let lit = 0;
      const pixels = data.length / 4;
      for (let i = 0; i < data.length; i += 4) {
        const grey = Math.round(((data[i] ?? 0) + (data[i + 1] ?? 0) + (data[i + 2] ?? 0)) / 3);
        sum += grey;
        if (grey > 8) lit++;
        seen.add(grey);
        histogram[grey >> 4] = (histogram[grey >> 4] ?? 0) + 1;
      }
      return {
        width: canvas.width,
        height: canvas.height,
        mean: sum / pixels,
        levels: seen.size,
        litFraction: lit / pixels,
        histogram: histogram.map((count) => Math.round((count / pixels) * 1000)),
      };
    });
  }

  async applyPreset(id: string): Promise<void> {
    const before = await this.renderCount();
    await this.page.getByTestId(`preset-${id}`).click();
    await this.waitForRender(before);
  }

  /** Window/level by dragging with the left button across the viewport. */
  async dragWindow(dx: number, dy: number): Promise<void> {
    const box = await this.viewport.boundingBox();
    if (box === null) throw new Error('viewport not visible');
    const before = await this.renderCount();
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + dx, y + dy, { steps: 5 });
    await this.page.mouse.up();
    await this.waitForRender(before);
  }
}
