// @ts-check
// Lint rule: the layers of the code base, as contracts of the form "files under A import nothing
// under B". Both sides are matched as paths relative to the project root (the importing file, and
// the file an import resolves to), so a contract holds however deep the importing file sits and
// however the specifier is spelled. All contracts live in one rule's options, so that a file in
// two areas (a repository inside a domain folder, say) is held to both.
import { dirname, relative, resolve, sep } from 'node:path';
import { resolveLocalImport } from './import-graph.js';

/**
 * @typedef {{ files: string, exceptFiles?: string, forbid: string, message: string }} LayerContract
 * @typedef {{ files: RegExp, exceptFiles: RegExp | null, forbid: RegExp, message: string }} CompiledContract
 */

/** @param {string} path */
function posix(path) {
  return path.split(sep).join('/');
}

/**
 * Where a relative specifier points, as a source path: the file when it exists, otherwise the
 * `.ts` file a `.js` specifier would stand for (so a contract also refuses an import of a file that
 * does not exist yet).
 * @param {string} fromFile
 * @param {string} specifier
 */
function targetOf(fromFile, specifier) {
  const existing = resolveLocalImport(fromFile, specifier);
  if (existing) return existing;
  const base = resolve(dirname(fromFile), specifier);
  return base.endsWith('.js') ? `${base.slice(0, -'.js'.length)}.ts` : base;
}

/** @type {import('eslint').Rule.RuleModule} */
const importLayers = {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Enforce the layers: files matching a contract import nothing that resolves into its forbidden paths.',
    },
    schema: [
      {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            files: { type: 'string' },
            exceptFiles: { type: 'string' },
            forbid: { type: 'string' },
            message: { type: 'string' },
          },
          required: ['files', 'forbid', 'message'],
          additionalProperties: false,
        },
      },
    ],
    messages: {
      layer: "'{{specifier}}' resolves to {{target}}: {{message}}",
    },
  },
  create(context) {
    /** @type {LayerContract[]} */
    const contracts = context.options[0] ?? [];
    const file = posix(relative(context.cwd, context.filename));
    /** @type {CompiledContract[]} */
    const applicable = contracts
      .map((c) => ({
        files: new RegExp(c.files),
        exceptFiles: c.exceptFiles ? new RegExp(c.exceptFiles) : null,
        forbid: new RegExp(c.forbid),
        message: c.message,
      }))
      .filter((c) => c.files.test(file) && !c.exceptFiles?.test(file));
    if (applicable.length === 0) return {};

    /**
     * @param {import('estree').Node} node
     * @param {unknown} source
     */
    function check(node, source) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = posix(relative(context.cwd, targetOf(context.filename, source)));
      for (const contract of applicable) {
        if (contract.forbid.test(target)) {
          context.report({
            node,
            messageId: 'layer',
            data: { specifier: source, target, message: contract.message },
          });
        }
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => check(node, node.source?.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) =>
        check(node, node.source.type === 'Literal' ? node.source.value : undefined),
    };
  },
};

export default importLayers;
