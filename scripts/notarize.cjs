// electron-builder's afterSign hook (electron-builder.yml): notarises the signed macOS app with
// Apple when, and only when, the credentials are in the environment. Everywhere else (Linux and
// Windows builds, unsigned local builds, CI without secrets) it does nothing and says why.
'use strict';

const path = require('node:path');

/** The environment variables the hook reads; documented in docs/install.md. */
const NOTARIZE_ENV = ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'];

/**
 * What to do for one build: `{ skip: reason }` or `{ options }` for @electron/notarize.
 * Pure, so it is tested without a Mac (scripts/notarize.test.ts).
 */
function notarizationPlan(env, context) {
  if (context.electronPlatformName !== 'darwin') {
    return { skip: `not a macOS build (${context.electronPlatformName})` };
  }
  const missing = NOTARIZE_ENV.filter((name) => !env[name]);
  if (missing.length > 0) {
    return { skip: `${missing.join(', ')} not set: the app is not notarised` };
  }
  const appName = context.packager.appInfo.productFilename;
  return {
    options: {
      appPath: path.join(context.appOutDir, `${appName}.app`),
      appleId: env.APPLE_ID,
      appleIdPassword: env.APPLE_APP_SPECIFIC_PASSWORD,
      teamId: env.APPLE_TEAM_ID,
    },
  };
}

async function afterSign(context) {
  const plan = notarizationPlan(process.env, context);
  if (plan.skip !== undefined) {
    console.log(`  • notarisation skipped: ${plan.skip}`);
    return;
  }
  // Loaded only here: @electron/notarize comes with electron-builder (a dev dependency).
  const { notarize } = require('@electron/notarize');
  console.log(`  • notarising ${plan.options.appPath} (this takes minutes)`);
  await notarize(plan.options);
}

module.exports = afterSign;
module.exports.default = afterSign;
module.exports.notarizationPlan = notarizationPlan;
module.exports.NOTARIZE_ENV = NOTARIZE_ENV;
