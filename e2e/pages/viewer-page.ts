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

/**
 * Pixels of a screenshot by the colour a mask gave them over the grey image: cyan (the AI mask),
 * and the expert's BraTS colours, red (1, core), green (2, oedema) and yellow (4, enhancing).
 */
export interface ColourCounts {
  readonly cyan: number;
  readonly red: number;
  readonly green: number;
  readonly yellow: number;
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

  /** Mean grey of the canvas's left, right, top and bottom halves: to see flips and turns. */
  async sampleHalves(): Promise<{ left: number; right: number; top: number; bottom: number }> {
    return this.viewport.evaluate((element) => {
      const canvas = element.querySelector('canvas.cornerstone-canvas');
      if (!(canvas instanceof HTMLCanvasElement)) throw new Error('no cornerstone canvas');
      const context = canvas.getContext('2d');
      if (context === null) throw new Error('no 2D context');
      const { width, height } = canvas;
      const mean = (x: number, y: number, w: number, h: number): number => {
        const { data } = context.getImageData(x, y, w, h);
        let sum = 0;
        for (let i = 0; i < data.length; i += 4) sum += data[i] ?? 0;
        return sum / (data.length / 4);
      };
      return {
        left: mean(0, 0, width / 2, height),
        right: mean(width / 2, 0, width / 2, height),
        top: mean(0, 0, width, height / 2),
        bottom: mean(0, height / 2, width, height / 2),
      };
    });
  }

  /** Mean grey of the canvas's four quadrants: to tell where an asymmetric picture went. */
  async sampleQuadrants(): Promise<{
    topLeft: number;
    topRight: number;
    bottomLeft: number;
    bottomRight: number;
  }> {
    return this.viewport.evaluate((element) => {
      const canvas = element.querySelector('canvas.cornerstone-canvas');
      if (!(canvas instanceof HTMLCanvasElement)) throw new Error('no cornerstone canvas');
      const context = canvas.getContext('2d');
      if (context === null) throw new Error('no 2D context');
      const w = Math.floor(canvas.width / 2);
      const h = Math.floor(canvas.height / 2);
      const mean = (x: number, y: number): number => {
        const { data } = context.getImageData(x, y, w, h);
        let sum = 0;
        for (let i = 0; i < data.length; i += 4) sum += data[i] ?? 0;
        return sum / (data.length / 4);
      };
      return {
        topLeft: mean(0, 0),
        topRight: mean(w, 0),
        bottomLeft: mean(0, h),
        bottomRight: mean(w, h),
      };
    });
  }

  /** How many pixels of the label overlay canvas are painted (alpha above zero). */
  async overlayPixels(): Promise<number> {
    return this.viewport.evaluate((element) => {
      const canvas = element.querySelector('canvas.label-overlay');
      if (!(canvas instanceof HTMLCanvasElement)) return 0;
      const context = canvas.getContext('2d');
      if (context === null) return 0;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
      return painted;
    });
  }

  /**
   * Takes a screenshot of the viewport (what the user sees: image, masks and text together) and
   * counts its pixels by mask colour. Grey pixels have r = g = b; a mask at 40 % opacity pulls
   * them towards its colour by tens of levels, which these margins tell apart.
   */
  async colourCounts(): Promise<ColourCounts> {
    const png = await this.viewport.screenshot();
    return this.page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d');
      if (context === null) throw new Error('no 2D context');
      context.drawImage(bitmap, 0, 0);
      const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
      const counts = { cyan: 0, red: 0, green: 0, yellow: 0 };
      for (let i = 0; i < data.length; i += 4) {
        const r = data[i] ?? 0;
        const g = data[i + 1] ?? 0;
        const b = data[i + 2] ?? 0;
        if (b - r > 50 && g - r > 30) counts.cyan++;
        else if (r - g > 50 && r - b > 50) counts.red++;
        else if (g - r > 35 && g - b > 25) counts.green++;
        else if (r - b > 60 && g - b > 50) counts.yellow++;
      }
      return counts;
    }, png.toString('base64'));
  }

  /** A left-button drag between two points given relative to the viewport's centre. */
  async drag(x1: number, y1: number, x2: number, y2: number): Promise<void> {
    const box = await this.viewport.boundingBox();
    if (box === null) throw new Error('viewport not visible');
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    await this.page.mouse.move(cx + x1, cy + y1);
    await this.page.mouse.down();
    await this.page.mouse.move(cx + x2, cy + y2, { steps: 6 });
    await this.page.mouse.up();
  }

  /** Applies a window/level preset from the "Presets" menu. */
  async applyPreset(id: string): Promise<void> {
    const before = await this.renderCount();
    await this.page.getByTestId('preset-menu').click();
    await this.page.getByTestId(`preset-${id}`).click();
    await this.waitForRender(before);
  }

  /** A click (no drag) at a point given relative to the viewport's centre. */
  async clickAt(x: number, y: number): Promise<void> {
    const box = await this.viewport.boundingBox();
    if (box === null) throw new Error('viewport not visible');
    await this.page.mouse.click(box.x + box.width / 2 + x, box.y + box.height / 2 + y);
  }

  /**
   * How many pixels of the viewport, as the screen shows it (the cornerstone canvas and the
   * measurement layer drawn over it), have the measurement colour (yellow, or blue when selected).
   */
  async measurementPixels(): Promise<number> {
    const png = await this.viewport.screenshot();
    return this.page.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d');
      if (context === null) throw new Error('no 2D context');
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
        // #ffd60a (yellow) or #4cc9f0 (selected): colours a greyscale image never has.
        const yellow = r > 200 && g > 170 && b < 90;
        const blue = r < 120 && g > 160 && b > 200;
        if (yellow || blue) count++;
      }
      return count;
    }, png.toString('base64'));
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
