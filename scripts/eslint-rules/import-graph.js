// @ts-check
// The project's import graph, read from the files on disk: which local module each TypeScript file
// imports. Used by the no-import-cycle lint rule. Only relative specifiers are followed (packages
// cannot import our files back); `.js` specifiers are resolved to the `.ts` source the way
// TypeScript's NodeNext resolution does.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

/** @typedef {{ specifier: string, target: string }} ImportEdge */

/** Source files a runtime specifier may stand for, in TypeScript's order of preference. */
const SOURCE_EXTENSIONS = {
  '.js': ['.ts', '.tsx', '.js', '.jsx'],
  '.mjs': ['.mts', '.mjs'],
  '.cjs': ['.cts', '.cjs'],
  '.jsx': ['.tsx', '.jsx'],
};

/**
 * The file a relative specifier in `fromFile` points at, or null for a package or a missing file.
 * @param {string} fromFile absolute path of the importing file
 * @param {string} specifier as written in the import
 * @returns {string | null}
 */
export function resolveLocalImport(fromFile, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null;
  const base = resolve(dirname(fromFile), specifier);
  /** @type {string[]} */
  const candidates = [];
  for (const [runtime, sources] of Object.entries(SOURCE_EXTENSIONS)) {
    if (base.endsWith(runtime)) {
      const stem = base.slice(0, -runtime.length);
      candidates.push(...sources.map((extension) => stem + extension));
    }
  }
  candidates.push(base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`);
  return candidates.find(isFile) ?? null;
}

/** @param {string} path */
function isFile(path) {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

/**
 * The module specifiers a file imports statically: imports (type-only ones too), re-exports and
 * `import x = require()`. TypeScript's pre-processing scanner finds them without building a syntax
 * tree (several times faster; the graph reads every file of the project). It also reports dynamic
 * `import()` calls and `import('x')` types; those are left out: a module loaded lazily is not part
 * of its importer's initialisation.
 * @param {string} text
 * @returns {string[]}
 */
export function staticImportsOf(text) {
  const { importedFiles } = ts.preProcessFile(text, true, false);
  return importedFiles
    .filter(
      (reference) =>
        !DYNAMIC_IMPORT_BEFORE.test(text.slice(Math.max(0, reference.pos - 40), reference.pos)),
    )
    .map((reference) => reference.fileName);
}

/** Text ending in `import(` (and an opening quote): the specifier that follows is dynamic. */
const DYNAMIC_IMPORT_BEFORE = /\bimport\s*\(\s*['"`]?$/;

/**
 * How long an entry of the graph is trusted before its file's modification time is checked
 * again. A search visits every file its start leads to, and a lint run searches once per file:
 * checking the disk on every visit would cost more than the rest of the rule; this bounds it to
 * about one check per file per interval, while a long-lived ESLint (an editor's) still sees edits.
 */
const REVALIDATE_AFTER_MS = 1000;

/**
 * Imports of the files on disk, each file read once and read again when it changes.
 */
export function createImportGraph() {
  /** @type {Map<string, { mtimeMs: number, checkedAt: number, edges: ImportEdge[] }>} */
  const cache = new Map();

  /**
   * @param {string} file absolute path
   * @returns {ImportEdge[]}
   */
  function importsOf(file) {
    const cached = cache.get(file);
    const now = Date.now();
    if (cached && now - cached.checkedAt < REVALIDATE_AFTER_MS) return cached.edges;
    let mtimeMs;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      cache.delete(file);
      return [];
    }
    if (cached && cached.mtimeMs === mtimeMs) {
      cached.checkedAt = now;
      return cached.edges;
    }
    const edges = edgesFrom(file, staticImportsOf(readFileSync(file, 'utf8')));
    cache.set(file, { mtimeMs, checkedAt: now, edges });
    return edges;
  }

  /**
   * The shortest chain of imports from one of `starts` to `goal` (the start and the goal
   * included), or null when none of them leads to `goal`. One search for all starts, since in a
   * graph without cycles (the usual case) every file is then visited once.
   * @param {readonly string[]} starts
   * @param {string} goal
   * @returns {string[] | null}
   */
  function pathToGoal(starts, goal) {
    if (starts.includes(goal)) return [goal];
    /** @type {Map<string, string | null>} */
    const cameFrom = new Map(starts.map((start) => [start, null]));
    let frontier = [...cameFrom.keys()];
    while (frontier.length > 0) {
      /** @type {string[]} */
      const next = [];
      for (const file of frontier) {
        for (const edge of importsOf(file)) {
          if (cameFrom.has(edge.target)) continue;
          cameFrom.set(edge.target, file);
          if (edge.target === goal) return chainTo(goal, cameFrom);
          next.push(edge.target);
        }
      }
      frontier = next;
    }
    return null;
  }

  return { importsOf, pathToGoal };
}

/**
 * The local files a file's import specifiers resolve to (packages and missing files left out).
 * @param {string} file absolute path of the importing file
 * @param {readonly string[]} specifiers
 * @returns {ImportEdge[]}
 */
export function edgesFrom(file, specifiers) {
  /** @type {ImportEdge[]} */
  const edges = [];
  for (const specifier of specifiers) {
    const target = resolveLocalImport(file, specifier);
    if (target) edges.push({ specifier, target });
  }
  return edges;
}

/**
 * @param {string} goal
 * @param {Map<string, string | null>} cameFrom null for a start
 */
function chainTo(goal, cameFrom) {
  const chain = [goal];
  let previous = cameFrom.get(goal);
  while (previous) {
    chain.unshift(previous);
    previous = cameFrom.get(previous);
  }
  return chain;
}
