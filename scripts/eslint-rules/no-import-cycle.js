// @ts-check
// Lint rule: a module may not import, directly or through others, a module that imports it back.
// Written here because the project has no eslint-plugin-import (and takes no new dependencies for
// it). Type-only imports count: a circle of types still ties the modules' layers together, and it
// becomes a runtime circle the day one of those types turns into a value. Dynamic `import()` does
// not: a module loaded lazily is not part of its importer's initialisation.
import { relative } from 'node:path';
import { createImportGraph, edgesFrom, staticImportsOf } from './import-graph.js';

// One graph per process: ESLint lints a whole run in one process, so each file is read once.
const graph = createImportGraph();

/**
 * The statement that imports `specifier`, to put the report on.
 * @param {import('eslint').AST.Program} program
 * @param {string} specifier
 * @returns {import('estree').Node}
 */
function statementImporting(program, specifier) {
  const statement = program.body.find(
    (s) =>
      (s.type === 'ImportDeclaration' ||
        s.type === 'ExportNamedDeclaration' ||
        s.type === 'ExportAllDeclaration') &&
      s.source?.value === specifier,
  );
  return statement ?? program;
}

/** @type {import('eslint').Rule.RuleModule} */
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
    return {
      Program(program) {
        // The linted text, not the file on disk: an unsaved text (ESLint's lintText) is checked
        // as written. The files it leads to are read from disk.
        const edges = edgesFrom(file, staticImportsOf(context.sourceCode.text));
        const targets = [...new Set(edges.map((edge) => edge.target))];
        // One search answers the usual question (is this file in no cycle?); only when it is in
        // one is each import followed on its own, to name the cycle through it.
        if (!graph.pathToGoal(targets, file)) return;
        const reported = new Set();
        for (const edge of edges) {
          if (reported.has(edge.target)) continue;
          reported.add(edge.target);
          const back = graph.pathToGoal([edge.target], file);
          if (!back) continue;
          const chain = [file, ...back].map((f) => relative(context.cwd, f)).join(' → ');
          context.report({
            node: statementImporting(program, edge.specifier),
            messageId: 'cycle',
            data: { chain },
          });
        }
      },
    };
  },
};

export default noImportCycle;
