import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { afterEach, describe, expect, it } from 'vitest';

// The layers (docs/layering.md) are rules of `npm run lint`. Each contract is proven here the way
// it will be met: a file that breaks it, linted as if it lived at the given path, is refused with
// the rule's message, and a file that keeps it passes.
const root = new URL('..', import.meta.url).pathname;
const eslint = new ESLint({ cwd: root });

interface Finding {
  ruleId: string | null;
  message: string;
}

async function findings(code: string, filePath: string): Promise<Finding[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).map((m) => ({ ruleId: m.ruleId, message: m.message }));
}

async function layerMessages(code: string, filePath: string): Promise<string[]> {
  return (await findings(code, filePath))
    .filter((f) => f.ruleId === 'local/import-layers')
    .map((f) => f.message);
}

const uses = (specifier: string, name = 'x') =>
  `import { ${name} } from '${specifier}';\nexport const used = ${name};\n`;

describe('shells use the core only through its public entry', () => {
  it('refuses a shell file importing a core file other than src-main/core/index.ts', async () => {
    const cases: Array<[string, string]> = [
      ['src-main/serve/new-route.ts', '../core/core.js'],
      ['src-main/electron/new-channel.ts', '../core/uploads/authorize.js'],
      ['src-main/cli/new-command.ts', '../core/platform/data-dir.js'],
      ['src-main/cli/commands/new-command.ts', '../../core/analysis/analysis-service.js'],
    ];
    for (const [file, specifier] of cases) {
      const messages = await layerMessages(uses(specifier), file);
      expect(messages, `${file} importing ${specifier}`).toHaveLength(1);
      expect(messages[0]).toContain('only through its public entry, src-main/core/index.ts');
    }
  });

  it('accepts the public entry', async () => {
    for (const [file, specifier] of [
      ['src-main/serve/new-route.ts', '../core/index.js'],
      ['src-main/cli/commands/new-command.ts', '../../core/index.js'],
    ] as const) {
      expect(await layerMessages(uses(specifier, 'createCore'), file)).toEqual([]);
    }
  });

  it('lets tests and test servers reach inside (they check the shell, they are not it)', async () => {
    const logger = uses('../core/platform/logger.js', 'memoryLogger');
    expect(await layerMessages(logger, 'src-main/serve/new-route.test.ts')).toEqual([]);
    const testing = uses('../../core/platform/logger.js', 'memoryLogger');
    expect(await layerMessages(testing, 'src-main/serve/testing/new-server.ts')).toEqual([]);
  });
});

describe('repositories call no service', () => {
  it('refuses a repository importing a service, in repos/ or in a domain folder', async () => {
    const cases: Array<[string, string]> = [
      ['src-main/core/repos/new-repo.ts', '../services/auth-service.js'],
      ['src-main/core/repos/paging-helper.ts', '../services/principal.js'],
      ['src-main/core/patients/patients-repo.ts', './patient-service.js'],
      ['src-main/core/scans/scans-repo.ts', '../analysis/analysis-service.js'],
    ];
    for (const [file, specifier] of cases) {
      const messages = await layerMessages(uses(specifier), file);
      expect(messages, `${file} importing ${specifier}`).toHaveLength(1);
      expect(messages[0]).toContain('a repository reads and writes rows and calls no service');
    }
  });

  it('accepts a repository importing the database and another repository', async () => {
    const code = `${uses('../db/connection.js', 'openDatabase')}${uses('./files-repo.js', 'createFilesRepo')}`;
    expect(await layerMessages(code, 'src-main/core/scans/scans-repo.ts')).toEqual([]);
  });
});

describe('imaging sits below analysis and import', () => {
  it('refuses imaging importing analysis or import, at any depth', async () => {
    const cases: Array<[string, string]> = [
      ['src-main/core/imaging/new-reader.ts', '../analysis/pipeline/volume.js'],
      ['src-main/core/imaging/new-reader.ts', '../import/import-service.js'],
      ['src-main/core/imaging/dicom/new-reader.ts', '../../analysis/analysis-service.js'],
      ['src-main/core/imaging/new-reader.ts', '../imports/imports-service.js'],
    ];
    for (const [file, specifier] of cases) {
      const messages = await layerMessages(uses(specifier), file);
      expect(messages, `${file} importing ${specifier}`).toHaveLength(1);
      expect(messages[0]).toContain('imaging (reading and decoding images) sits below');
    }
  });

  it('accepts imaging importing imaging', async () => {
    expect(
      await layerMessages(
        uses('./dicom/parse-dicom.js', 'parseDicom'),
        'src-main/core/imaging/x.ts',
      ),
    ).toEqual([]);
  });
});

describe('the core knows no shell; the contract knows neither side', () => {
  it('refuses the core importing a shell, and src-shared importing src-main', async () => {
    expect(
      await layerMessages(uses('../../serve/server.js'), 'src-main/core/jobs/new-job.ts'),
    ).toEqual([expect.stringContaining('the core knows no shell')]);
    expect(await layerMessages(uses('../src-main/core/index.js'), 'src-shared/x.ts')).toEqual([
      expect.stringContaining('the shared contract depends on nothing'),
    ]);
  });
});

describe('no import cycles', () => {
  let folder: string | null = null;
  afterEach(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
    folder = null;
  });

  /** Writes the files into a fresh folder inside src-main (where the rule applies) and lints them. */
  async function lintModules(files: Record<string, string>): Promise<Map<string, Finding[]>> {
    folder = mkdtempSync(join(root, 'src-main/core/.cycle-test-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
    const results = await eslint.lintFiles(Object.keys(files).map((name) => join(folder!, name)));
    return new Map(
      results.map((r) => [
        relative(folder!, r.filePath),
        r.messages
          .filter((m) => m.ruleId === 'local/no-import-cycle')
          .map((m) => ({ ruleId: m.ruleId, message: m.message })),
      ]),
    );
  }

  it('refuses two files that import each other, a type-only import included', async () => {
    const byFile = await lintModules({
      'a.ts':
        "import { b } from './b.js';\nexport interface A {\n  n: number;\n}\nexport const a = b + 1;\n",
      'b.ts': "import type { A } from './a.js';\nexport const b = 1;\nexport type B = A;\n",
    });
    const a = byFile.get('a.ts') ?? [];
    const b = byFile.get('b.ts') ?? [];
    expect(a).toHaveLength(1);
    expect(a[0]?.message).toMatch(
      /^Import cycle: src-main\/core\/\.cycle-test-\w+\/a\.ts → .*b\.ts → .*a\.ts\./,
    );
    expect(b).toHaveLength(1);
    expect(b[0]?.message).toMatch(/b\.ts → .*a\.ts → .*b\.ts/);
  });

  it('names every file of a longer cycle, and leaves a file outside it alone', async () => {
    const byFile = await lintModules({
      'a.ts': "import { b } from './b.js';\nexport const a = b;\n",
      'b.ts': "export { c as b } from './c.js';\n",
      'c.ts': "import { a } from './a.js';\nexport const c = 1;\nexport const viaA = () => a;\n",
      'user.ts': "import { a } from './a.js';\nexport const u = a;\n",
    });
    expect(byFile.get('a.ts')?.[0]?.message).toMatch(/a\.ts → .*b\.ts → .*c\.ts → .*a\.ts/);
    expect(byFile.get('b.ts')).toHaveLength(1);
    expect(byFile.get('c.ts')).toHaveLength(1);
    expect(byFile.get('user.ts')).toEqual([]);
  });

  it('does not count a lazy import() as part of a cycle', async () => {
    const byFile = await lintModules({
      'a.ts': "import { b } from './b.js';\nexport const a = b;\n",
      'b.ts': "export const b = 1;\nexport const later = () => import('./a.js');\n",
    });
    expect(byFile.get('a.ts')).toEqual([]);
    expect(byFile.get('b.ts')).toEqual([]);
  });

  it('finds none in core/import, where the import service and its helpers used to import each other', async () => {
    const results = await eslint.lintFiles([join(root, 'src-main/core/import/*.ts')]);
    const cycles = results.flatMap((r) =>
      r.messages.filter((m) => m.ruleId === 'local/no-import-cycle').map((m) => m.message),
    );
    expect(results.length).toBeGreaterThan(5);
    expect(cycles).toEqual([]);
  });
});
