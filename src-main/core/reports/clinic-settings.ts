import type { ClinicSettings } from '../../../src-shared/contract/reports.js';
import { CLINIC_LOGO_MAX_BYTES } from '../../../src-shared/contract/reports.js';
import { AppError } from '../../../src-shared/errors.js';
import type { Clock } from '../platform/clock.js';
import type { SettingsRepo } from '../system/settings-repo.js';
import { renderPdf } from './pdf-engine.js';
import { pictureDataUrl } from './picture-data-url.js';

const KEYS = {
  name: 'clinic.name',
  address: 'clinic.address',
  logo: 'clinic.logo',
} as const;

function isPng(bytes: Buffer): boolean {
  return (
    bytes.length > 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  );
}

function isJpeg(bytes: Buffer): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/**
 * Decodes and checks a logo: PNG or JPEG bytes within the size limit that the PDF renderer can
 * read (a logo it cannot read would break every report, so it is tried once here).
 */
async function logoBytes(base64: string): Promise<Buffer> {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > CLINIC_LOGO_MAX_BYTES)
    throw new AppError('FILE_TOO_LARGE', 'The logo may be at most 512 KB: use a smaller picture.');
  if (!isPng(bytes) && !isJpeg(bytes))
    throw new AppError('UNSUPPORTED_FORMAT', 'The logo must be a PNG or JPEG picture.');
  try {
    await renderPdf({ content: [{ image: pictureDataUrl(bytes), width: 10 }] });
  } catch (error) {
    throw new AppError(
      'CORRUPT_FILE',
      `The logo cannot be read as a picture (${error instanceof Error ? error.message : String(error)}): save it again as PNG or JPEG.`,
    );
  }
  return bytes;
}

/** The clinic's letterhead (settings keys clinic.name, clinic.address, clinic.logo). */
export function createClinicSettings(deps: { settings: SettingsRepo; clock: Clock }) {
  const { settings } = deps;
  return {
    get(): ClinicSettings {
      return {
        name: settings.get(KEYS.name) ?? '',
        address: settings.get(KEYS.address) ?? '',
        logoBase64: settings.get(KEYS.logo) ?? null,
      };
    },
    /** The logo's bytes for the renderer, or null. */
    logo(): Buffer | null {
      const stored = settings.get(KEYS.logo);
      return stored === undefined ? null : Buffer.from(stored, 'base64');
    },
    async update(changes: {
      name?: string | undefined;
      address?: string | undefined;
      logoBase64?: string | null | undefined;
    }): Promise<ClinicSettings> {
      const logo =
        changes.logoBase64 === undefined || changes.logoBase64 === null
          ? changes.logoBase64
          : (await logoBytes(changes.logoBase64)).toString('base64');
      const now = deps.clock.iso();
      if (changes.name !== undefined) settings.set(KEYS.name, changes.name, now);
      if (changes.address !== undefined) settings.set(KEYS.address, changes.address, now);
      if (logo !== undefined) settings.set(KEYS.logo, logo, now);
      return this.get();
    },
  };
}
export type ClinicSettingsService = ReturnType<typeof createClinicSettings>;
