import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pdfmake from 'pdfmake';

/** The one font family of reports: Roboto (Latin incl. extended, Greek, Cyrillic), embedded. */
export const REPORT_FONT = 'Roboto';

const FONT_FILES = {
  normal: 'Roboto-Regular.ttf',
  bold: 'Roboto-Medium.ttf',
  italics: 'Roboto-Italic.ttf',
  bolditalics: 'Roboto-MediumItalic.ttf',
} as const;

let ready = false;

/**
 * Prepares pdfmake once per process: the Roboto files pdfmake ships (node_modules, so a packaged
 * app has them; no system font is assumed) are read into pdfmake's virtual file system, and both
 * resource policies refuse everything. A report's pictures are handed over as bytes, so nothing in
 * a document definition (a name, a finding, a logo) can make the renderer read a file or a URL.
 */
function preparePdfMake(): void {
  if (ready) return;
  const fontsDir = join(
    dirname(createRequire(import.meta.url).resolve('pdfmake/package.json')),
    'fonts',
    'Roboto',
  );
  for (const file of Object.values(FONT_FILES))
    pdfmake.virtualfs.writeFileSync(file, readFileSync(join(fontsDir, file)));
  pdfmake.setFonts({ [REPORT_FONT]: { ...FONT_FILES } });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy(() => false);
  ready = true;
}

/** Renders a pdfmake document definition (built by pdf-document.ts) to PDF bytes. */
export async function renderPdf(definition: object): Promise<Buffer> {
  preparePdfMake();
  return pdfmake.createPdf(definition).getBuffer();
}
