import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Where code runs is a boundary the build enforces: these snippets, linted as if they lived at
// the given paths, must be refused (the core never imports Electron; the contract and the
// renderer never use Node built-ins). tsconfig's `paths` mapping backs the first up at compile time.
const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('import boundaries', () => {
  it('refuses electron in the core, the CLI and serve mode', async () => {
    for (const path of ['src-main/core/x.ts', 'src-main/cli/x.ts', 'src-main/serve/x.ts']) {
      expect(
        await ruleIds("import { app } from 'electron';\nexport const a = app;\n", path),
      ).toContain('no-restricted-imports');
    }
  });

  it('allows electron in the Electron shell only', async () => {
    expect(
      await ruleIds(
        "import { app } from 'electron';\nexport const a = app;\n",
        'src-main/electron/x.ts',
      ),
    ).not.toContain('no-restricted-imports');
  });

  it('refuses Node built-ins in the shared contract and in the renderer', async () => {
    const code = "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n";
    expect(await ruleIds(code, 'src-shared/contract/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(code, 'src-renderer/src/x.ts')).toContain('no-restricted-imports');
    expect(
      await ruleIds(
        "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n",
        'src-renderer/src/x.ts',
      ),
    ).toContain('no-restricted-imports');
  });
});
