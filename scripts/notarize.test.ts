/**
 * The afterSign hook of electron-builder.yml notarises only macOS builds and only when Apple's
 * credentials are set: tested here without a Mac, through its pure planning function.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

interface Plan {
  skip?: string;
  options?: { appPath: string; appleId: string; appleIdPassword: string; teamId: string };
}
interface Context {
  electronPlatformName: string;
  appOutDir: string;
  packager: { appInfo: { productFilename: string } };
}
const hook = createRequire(import.meta.url)('./notarize.cjs') as {
  notarizationPlan(env: Record<string, string | undefined>, context: Context): Plan;
  NOTARIZE_ENV: string[];
};

const mac: Context = {
  electronPlatformName: 'darwin',
  appOutDir: '/build/mac-arm64',
  packager: { appInfo: { productFilename: 'Neurosphere' } },
};
const credentials = {
  APPLE_ID: 'admin@clinic.example',
  APPLE_APP_SPECIFIC_PASSWORD: 'abcd-efgh-ijkl-mnop',
  APPLE_TEAM_ID: 'TEAM123456',
};

describe('the notarisation hook', () => {
  it('is the afterSign hook of electron-builder.yml', () => {
    const config = load(readFileSync(new URL('../electron-builder.yml', import.meta.url), 'utf8'));
    expect((config as { afterSign?: string }).afterSign).toBe('scripts/notarize.cjs');
  });

  it('notarises a macOS build when every credential is set', () => {
    expect(hook.notarizationPlan(credentials, mac)).toEqual({
      options: {
        appPath: '/build/mac-arm64/Neurosphere.app',
        appleId: 'admin@clinic.example',
        appleIdPassword: 'abcd-efgh-ijkl-mnop',
        teamId: 'TEAM123456',
      },
    });
  });

  it('skips, naming what is missing, when a credential is not set', () => {
    const plan = hook.notarizationPlan({ ...credentials, APPLE_TEAM_ID: '' }, mac);
    expect(plan.options).toBeUndefined();
    expect(plan.skip).toBe('APPLE_TEAM_ID not set: the app is not notarised');
    expect(hook.notarizationPlan({}, mac).skip).toContain(hook.NOTARIZE_ENV.join(', '));
  });

  it('skips Windows and Linux builds even with the credentials set', () => {
    for (const platform of ['win32', 'linux']) {
      const plan = hook.notarizationPlan(credentials, { ...mac, electronPlatformName: platform });
      expect(plan.skip).toBe(`not a macOS build (${platform})`);
    }
  });
});
