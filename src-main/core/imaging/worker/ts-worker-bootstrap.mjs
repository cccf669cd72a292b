// Runs a TypeScript worker entry from source (tests under Vitest): Node 22 strips the types,
// and this hook maps the `./x.js` specifiers of the sources to their `./x.ts` files.
// The built app never uses this file: its workers are the compiled .js entries in dist/.
import { registerHooks } from 'node:module';
import { workerData } from 'node:worker_threads';

registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) {
        return next(`${specifier.slice(0, -3)}.ts`, context);
      }
      throw error;
    }
  },
});

await import(workerData.entry);
