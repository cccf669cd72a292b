import { expect, type Locator, type Page } from '@playwright/test';

export type Plane = 'axial' | 'coronal' | 'sagittal';

/** What one MPR canvas shows, read back from its pixels. */
export interface PlaneSample {
  /** The drawn picture's extent on the canvas (pixels that are not black padding). */
  readonly box: { readonly width: number; readonly height: number };
  /** Distinct grey levels (a blank canvas has one or two). */
  readonly levels: number;
  /** Pixels tinted red by a label 1 mask. */
  readonly red: number;
  /** A coarse fingerprint, to tell two renderings apart. */
  readonly histogram: number[];
  /** Mean grey of the picture (its box). */
  readonly mean: number;
  /** Mean grey of the picture's quarters (of its box), to see where a bright region went. */
  readonly quadrants: {
    readonly topLeft: number;
    readonly topRight: number;
    readonly bottomLeft: number;
    readonly bottomRight: number;
  };
}

/** The MPR view of the scan page. */
export class MprPage {
  constructor(readonly page: Page) {}

  canvas(plane: Plane): Locator {
    return this.page.getByTestId(`mpr-canvas-${plane}`);
  }

  async open(): Promise<void> {
    await this.page.getByTestId('viewer-mpr-toggle').click();
    await expect(this.page.getByTestId('viewer-mpr-toggle')).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    for (const plane of ['axial', 'coronal', 'sagittal'] as const)
      await expect
        .poll(async () => Number(await this.canvas(plane).getAttribute('data-render-count')))
        .toBeGreaterThan(0);
  }

  async renderCount(plane: Plane): Promise<number> {
    return Number(await this.canvas(plane).getAttribute('data-render-count'));
  }

  async slice(plane: Plane): Promise<number> {
    return Number(await this.canvas(plane).getAttribute('data-slice'));
  }

  async sample(plane: Plane): Promise<PlaneSample> {
    return this.canvas(plane).evaluate((element) => {
      if (!(element instanceof HTMLCanvasElement)) throw new Error('not a canvas');
      const context = element.getContext('2d');
      if (context === null) throw new Error('no 2D context');
      const { width, height } = element;
      const { data } = context.getImageData(0, 0, width, height);
      let minX = width;
      let maxX = -1;
      let minY = height;
      let maxY = -1;
      let red = 0;
      const seen = new Set<number>();
      const histogram = new Array<number>(16).fill(0);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const at = (y * width + x) * 4;
          const r = data[at] ?? 0;
          const g = data[at + 1] ?? 0;
          const b = data[at + 2] ?? 0;
          const grey = Math.round((r + g + b) / 3);
          seen.add(grey);
          histogram[grey >> 4] = (histogram[grey >> 4] ?? 0) + 1;
          // Label 1 (255, 59, 48) over grey: red well above green and blue, which stay close (the
          // orange crosshair line has green far above blue).
          if (r - g > 60 && r - b > 60 && Math.abs(g - b) < 30) red++;
          if (r + g + b > 0) {
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
          }
        }
      const meanGrey = (x0: number, y0: number, x1: number, y1: number): number => {
        let sum = 0;
        let count = 0;
        for (let y = Math.ceil(y0); y < y1; y++)
          for (let x = Math.ceil(x0); x < x1; x++) {
            const at = (y * width + x) * 4;
            sum += ((data[at] ?? 0) + (data[at + 1] ?? 0) + (data[at + 2] ?? 0)) / 3;
            count++;
          }
        return count === 0 ? 0 : sum / count;
      };
      const midX = (minX + maxX + 1) / 2;
      const midY = (minY + maxY + 1) / 2;
      return {
        mean: meanGrey(minX, minY, maxX + 1, maxY + 1),
        quadrants: {
          topLeft: meanGrey(minX, minY, midX, midY),
          topRight: meanGrey(midX, minY, maxX + 1, midY),
          bottomLeft: meanGrey(minX, midY, midX, maxY + 1),
          bottomRight: meanGrey(midX, midY, maxX + 1, maxY + 1),
        },
        box: { width: maxX - minX + 1, height: maxY - minY + 1 },
        levels: seen.size,
        red,
        histogram: histogram.map((count) => Math.round((count / (width * height)) * 1000)),
      };
    });
  }

  async marker(plane: Plane, edge: 'left' | 'right' | 'top' | 'bottom'): Promise<string> {
    return (await this.page.getByTestId(`mpr-${plane}-marker-${edge}`).textContent()) ?? '';
  }

  /** Clicks a plane at fractions of its canvas's width and height. */
  async clickAt(plane: Plane, fx: number, fy: number): Promise<void> {
    const box = await this.canvas(plane).boundingBox();
    if (box === null) throw new Error(`the ${plane} canvas is not shown`);
    await this.page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
  }

  /** Right-drags on a plane by (dx, dy) pixels: window/level. */
  async dragWindow(plane: Plane, dx: number, dy: number): Promise<void> {
    const box = await this.canvas(plane).boundingBox();
    if (box === null) throw new Error(`the ${plane} canvas is not shown`);
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down({ button: 'right' });
    await this.page.mouse.move(x + dx / 2, y + dy / 2);
    await this.page.mouse.move(x + dx, y + dy);
    await this.page.mouse.up({ button: 'right' });
  }
}
