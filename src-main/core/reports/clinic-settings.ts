import type { ClinicSettings } from '../../../src-shared/contract/reports.js';
import { CLINIC_LOGO_MAX_BYTES } from '../../../src-shared/contract/reports.js';
import { AppError } from '../../../src-shared/errors.js';
import type { Clock } from '../platform/clock.js';
import type { SettingsRepo } from '../system/settings-repo.js';

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

/** Decodes and checks a logo: PNG or JPEG bytes within the size limit. */
function logoBytes(base64: string): Buffer {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > CLINIC_LOGO_MAX_BYTES)
    throw new AppError('FILE_TOO_LARGE', 'The logo may be at most 512 KB: use a smaller picture.');
  if (!isPng(bytes) && !isJpeg(bytes))
    throw new AppError('UNSUPPORTED_FORMAT', 'The logo must be a PNG or JPEG picture.');
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
    update(changes: {
      name?: string | undefined;
      address?: string | undefined;
      logoBase64?: string | null | undefined;
    }): ClinicSettings {
      const now = deps.clock.iso();
      const logo =
        changes.logoBase64 === undefined || changes.logoBase64 === null
          ? changes.logoBase64
          : logoBytes(changes.logoBase64).toString('base64');
      if (changes.name !== undefined) settings.set(KEYS.name, changes.name, now);
      if (changes.address !== undefined) settings.set(KEYS.address, changes.address, now);
      if (logo !== undefined) settings.set(KEYS.logo, logo, now);
      return this.get();
    },
  };
}
export type ClinicSettingsService = ReturnType<typeof createClinicSettings>;
