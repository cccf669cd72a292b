// @ts-check
// Lint rule: a module may not import, directly or through others, a module that imports it back.
// Written here because the project has no eslint-plugin-import (and takes no new dependencies for
// it). Type-only imports count: a circle of types still ties the modules' layers together, and it
// becomes a runtime circle the day one of those types turns into a value.
import { relative } from 'node:path';
import { createImportGraph, edgesFrom } from './import-graph.js';

// One graph per process: ESLint lints a whole run in one process, so each file is read once.
const graph = createImportGraph();

/**
 * @typedef {import('eslint').Rule.RuleModule} RuleModule
 * @typedef {import('estree').Node} EstreeNode
 */

/**
 * The static imports and re-exports of the file being linted, read from its syntax tree (so an
 * unsaved text, as given to ESLint's lintText, is checked as written).
 * @param {import('eslint').AST.Program} program
 * @returns {{ node: EstreeNode, specifier: string, typeOnly: boolean }[]}
 */
function importsInProgram(program) {
  /** @type {{ node: EstreeNode, specifier: string, typeOnly: boolean }[]} */
  const found = [];
  for (const statement of program.body) {
    // typescript-eslint adds importKind/exportKind to the ESTree nodes.
    const kinds = /** @type {{ importKind?: string, exportKind?: string }} */ (
      /** @type {unknown} */ (statement)
    );
    if (statement.type === 'ImportDeclaration' && typeof statement.source.value === 'string') {
      const specifiers = statement.specifiers;
      const allTypes =
        specifiers.length > 0 &&
        specifiers.every(
          (s) =>
            s.type === 'ImportSpecifier' &&
            /** @type {{ importKind?: string }} */ (/** @type {unknown} */ (s)).importKind ===
              'type',
        );
      found.push({
        node: statement,
        specifier: statement.source.value,
        typeOnly: kinds.importKind === 'type' || allTypes,
      });
    } else if (
      (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportAllDeclaration') &&
      statement.source &&
      typeof statement.source.value === 'string'
    ) {
      found.push({
        node: statement,
        specifier: statement.source.value,
        typeOnly: kinds.exportKind === 'type',
      });
    }
  }
  return found;
}

/** @type {RuleModule} */
const noImportCycle = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Disallow import cycles between local modules (type-only imports included), followed through relative specifiers.',
    },
    schema: [],
    messages: {
      cycle:
        'Import cycle: {{chain}}. Move what both sides need into a module that neither imports back (for types, a file of their own).',
    },
  },
  create(context) {
    const file = context.filename;
    const cwd = context.cwd;
    return {
      Program(program) {
        const imports = importsInProgram(program);
        const edges = edgesFrom(file, imports);
        for (const edge of edges) {
          const back = graph.pathBetween(edge.target, file, { followTypeOnly: true });
          if (!back) continue;
          const node = imports.find((i) => i.specifier === edge.specifier)?.node ?? program;
          const chain = [file, ...back].map((f) => relative(cwd, f)).join(' → ');
          context.report({ node, messageId: 'cycle', data: { chain } });
        }
      },
    };
  },
};

export default noImportCycle;
