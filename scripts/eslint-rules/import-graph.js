// @ts-check
// The project's import graph, read from the files on disk: which local module each TypeScript file
// imports. Used by the no-import-cycle lint rule. Only relative specifiers are followed (packages
// cannot import our files back); `.js` specifiers are resolved to the `.ts` source the way
// TypeScript's NodeNext resolution does.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

/** @typedef {{ specifier: string, target: string, typeOnly: boolean }} ImportEdge */

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
  return existsSync(path) && statSync(path).isFile();
}

/**
 * The module specifiers of a file's static imports and re-exports (dynamic `import()` loads lazily
 * and cannot deadlock module initialisation, so it is not an edge).
 * @param {string} fileName
 * @param {string} text
 * @returns {{ specifier: string, typeOnly: boolean }[]}
 */
export function staticImportsOf(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  /** @type {{ specifier: string, typeOnly: boolean }[]} */
  const found = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      found.push({
        specifier: statement.moduleSpecifier.text,
        typeOnly: isTypeOnlyImport(statement),
      });
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      found.push({ specifier: statement.moduleSpecifier.text, typeOnly: statement.isTypeOnly });
    } else if (
      ts.isImportEqualsDeclaration(statement) &&
      ts.isExternalModuleReference(statement.moduleReference) &&
      ts.isStringLiteral(statement.moduleReference.expression)
    ) {
      found.push({
        specifier: statement.moduleReference.expression.text,
        typeOnly: statement.isTypeOnly,
      });
    }
  }
  return found;
}

/** @param {ts.ImportDeclaration} statement */
function isTypeOnlyImport(statement) {
  const clause = statement.importClause;
  if (!clause) return false; // `import './x.js'` runs the module
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    !clause.name &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}

/**
 * Imports of files on disk, cached by modification time: one lint run reads each file once.
 */
export function createImportGraph() {
  /** @type {Map<string, { mtimeMs: number, edges: ImportEdge[] }>} */
  const cache = new Map();

  /**
   * @param {string} file absolute path
   * @returns {ImportEdge[]}
   */
  function importsOf(file) {
    let mtimeMs;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      return [];
    }
    const cached = cache.get(file);
    if (cached && cached.mtimeMs === mtimeMs) return cached.edges;
    const edges = edgesFrom(file, staticImportsOf(file, readFileSync(file, 'utf8')));
    cache.set(file, { mtimeMs, edges });
    return edges;
  }

  /**
   * The shortest chain of imports from `start` back to `goal`, both included, or null when
   * `start` does not lead to `goal`.
   * @param {string} start
   * @param {string} goal
   * @param {{ followTypeOnly: boolean }} options
   * @returns {string[] | null}
   */
  function pathBetween(start, goal, options) {
    if (start === goal) return [start];
    /** @type {Map<string, string>} */
    const cameFrom = new Map([[start, start]]);
    let frontier = [start];
    while (frontier.length > 0) {
      /** @type {string[]} */
      const next = [];
      for (const file of frontier) {
        for (const edge of importsOf(file)) {
          if (edge.typeOnly && !options.followTypeOnly) continue;
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

  return { importsOf, pathBetween };
}

/**
 * @param {string} file
 * @param {{ specifier: string, typeOnly: boolean }[]} imports
 * @returns {ImportEdge[]}
 */
export function edgesFrom(file, imports) {
  /** @type {ImportEdge[]} */
  const edges = [];
  for (const { specifier, typeOnly } of imports) {
    const target = resolveLocalImport(file, specifier);
    if (target) edges.push({ specifier, target, typeOnly });
  }
  return edges;
}

/**
 * @param {string} goal
 * @param {Map<string, string>} cameFrom
 */
function chainTo(goal, cameFrom) {
  const chain = [goal];
  let current = goal;
  for (;;) {
    const previous = cameFrom.get(current);
    if (previous === undefined || previous === current) break;
    chain.unshift(previous);
    current = previous;
  }
  return chain;
}
