import { mkdirSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import { DESTINATION_SECRETS_FILE_ENV, openDestinationSecrets } from './destination-secrets.js';

describe('destination secrets', () => {
  let root: string;
  beforeEach(() => {
    root = makeTempDir();
    mkdirSync(join(root, 'data'));
  });
  afterEach(() => removeTempDir(root));

  it('in the OS keychain (the test gnome-keyring): set, get, remove, one entry per data folder', async () => {
    const a = openDestinationSecrets({ dataDir: join(root, 'data') });
    const b = openDestinationSecrets({ dataDir: join(root, 'other') });
    expect(await a.get('pacs')).toBeNull();
    await a.set('pacs', 's3cret');
    expect(await a.get('pacs')).toBe('s3cret');
    expect(await b.get('pacs')).toBeNull();
    await a.remove('pacs');
    expect(await a.get('pacs')).toBeNull();
    await a.remove('pacs');
  });

  it('in a 0600 file outside the data folder when NEUROSPHERE_DESTINATION_SECRETS_FILE says so', async () => {
    const file = join(root, 'secrets.json');
    const env = { [DESTINATION_SECRETS_FILE_ENV]: file };
    const secrets = openDestinationSecrets({ dataDir: join(root, 'data'), env });
    await secrets.set('pacs', 'token-1');
    await secrets.set('hub', 'token-2');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await secrets.get('pacs')).toBe('token-1');
    await secrets.remove('pacs');
    expect(await secrets.get('pacs')).toBeNull();
    expect(await secrets.get('hub')).toBe('token-2');

    chmodSync(file, 0o644);
    await expect(secrets.get('hub')).rejects.toThrow(/can be read by other users .*chmod 600/);
    expect(() =>
      openDestinationSecrets({
        dataDir: join(root, 'data'),
        env: { [DESTINATION_SECRETS_FILE_ENV]: join(root, 'data', 's.json') },
      }),
    ).toThrow(/points inside the data folder/);
    writeFileSync(join(root, 'broken.json'), '{', { mode: 0o600 });
    const broken = openDestinationSecrets({
      dataDir: join(root, 'data'),
      env: { [DESTINATION_SECRETS_FILE_ENV]: join(root, 'broken.json') },
    });
    await expect(broken.get('x')).rejects.toThrow(/not valid JSON/);
  });
});
