import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from './args.js';

function usageErrorOf(argv: string[]): UsageError {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`parsed without error: ${argv.join(' ')}`);
}

describe('parseCommandLine', () => {
  it('parses import with several paths and options in any order', () => {
    expect(
      parseCommandLine(['--data-dir', '/d', 'import', 'a', '--patient', 'NS-1', 'b', '--json']),
    ).toEqual({ kind: 'import', paths: ['a', 'b'], patient: 'NS-1', json: true, dataDir: '/d' });
  });

  it('parses analyze with paths, scans, models, --out and --json', () => {
    const scan = '00000000-0000-4000-8000-000000000001';
    expect(
      parseCommandLine([
        'analyze',
        'a.png',
        '--scan',
        scan,
        '--model',
        'lgg-flair-unet',
        'cd/',
        '--classifier',
        'none',
        '--out',
        'masks',
        '--json',
      ]),
    ).toEqual({
      kind: 'analyze',
      paths: ['a.png', 'cd/'],
      scanIds: [scan],
      model: 'lgg-flair-unet',
      classifier: null,
      force: false,
      out: 'masks',
      json: true,
      dataDir: undefined,
    });
    expect(parseCommandLine(['analyze', '--scan', scan, '--scan', scan])).toMatchObject({
      paths: [],
      scanIds: [scan, scan],
      model: undefined,
      classifier: undefined,
      out: undefined,
      json: false,
    });
    expect(parseCommandLine(['analyze', 'x', '--classifier', 'brain-tumour-4class'])).toMatchObject(
      { classifier: 'brain-tumour-4class' },
    );
    expect(parseCommandLine(['analyze', 'chest.dcm', '--force'])).toMatchObject({ force: true });
  });

  it('parses scans list with filters and paging', () => {
    expect(
      parseCommandLine(['scans', 'list', '--status', 'imported', '--search', 'doe', '--page', '2']),
    ).toEqual({
      kind: 'scans list',
      status: 'imported',
      search: 'doe',
      page: 2,
      limit: undefined,
      json: false,
      dataDir: undefined,
    });
  });

  it('parses an option value that looks like a command word', () => {
    expect(parseCommandLine(['--search', 'scans', 'patients', 'list'])).toMatchObject({
      kind: 'patients list',
      search: 'scans',
    });
  });

  it('parses users add, serve, jobs list and scans show', () => {
    expect(
      parseCommandLine([
        'users',
        'add',
        '--username',
        'ana',
        '--role',
        'radiologist',
        '--password-stdin',
        '--display-name',
        'Dr Ana',
      ]),
    ).toEqual({
      kind: 'users add',
      username: 'ana',
      role: 'radiologist',
      displayName: 'Dr Ana',
      dataDir: undefined,
    });
    expect(parseCommandLine(['serve', '--port', '0', '--host', '::1'])).toEqual({
      kind: 'serve',
      host: '::1',
      port: 0,
      autoAnalyse: true,
      tls: undefined,
      rateLimit: undefined,
      corsOrigins: [],
      maxUploadMb: undefined,
      dataDir: undefined,
    });
    expect(parseCommandLine(['serve', '--no-auto-analyse'])).toMatchObject({ autoAnalyse: false });
    expect(
      parseCommandLine([
        'serve',
        '--tls-cert',
        'c.pem',
        '--tls-key',
        'k.pem',
        '--rate-limit',
        '20',
        '--cors-origin',
        'https://a.example',
        '--cors-origin',
        'https://b.example',
        '--max-upload-mb',
        '200',
      ]),
    ).toMatchObject({
      tls: { certFile: 'c.pem', keyFile: 'k.pem' },
      rateLimit: 20,
      corsOrigins: ['https://a.example', 'https://b.example'],
      maxUploadMb: 200,
    });
    expect(() => parseCommandLine(['serve', '--tls-cert', 'c.pem'])).toThrow(/together/);
    expect(parseCommandLine(['jobs', 'list', '--status', 'failed'])).toMatchObject({
      kind: 'jobs list',
      status: 'failed',
    });
    expect(parseCommandLine(['scans', 'show', 'abc', '--json'])).toMatchObject({
      kind: 'scans show',
      id: 'abc',
      json: true,
    });
  });

  it('recognises --help and --version', () => {
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['-h'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['scans', 'list', '--help'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['--version'])).toEqual({ kind: 'version' });
  });

  it.each([
    [[], 'No command given'],
    [['frobnicate'], 'Unknown command "frobnicate"'],
    [['scans'], 'scans needs a subcommand'],
    [['scans', 'delete'], 'Unknown command "scans delete"'],
    [['import'], 'at least one file or folder'],
    [['analyze'], 'analyze needs at least one file or folder, or --scan ID'],
    [['analyze', 'x', '--model', 'My_Model'], '--model must be a model id'],
    [['analyze', 'x', '--classifier', '../etc'], '--classifier must be a model id'],
    [['analyze', '--scan', 'abc'], '--scan takes a scan id'],
    [['analyze', 'x', '--out', ''], '--out needs a folder'],
    [['analyze', 'x', '--out'], "'--out <value>' argument missing"],
    [['import', 'x', '--bogus'], "Unknown option '--bogus'"],
    [['scans', 'show'], 'needs a scan id'],
    [['scans', 'show', 'a', 'b'], 'takes one id'],
    [['scans', 'list', '--status', 'done'], '--status must be one of imported'],
    [['scans', 'list', '--limit', '0'], '--limit must be a whole number from 1 to 500'],
    [['scans', 'list', '--page', '1.5'], '--page must be a whole number'],
    [['scans', 'list', 'extra'], 'takes no argument "extra"'],
    [['users', 'add', '--role', 'admin', '--password-stdin'], 'needs --username'],
    [['users', 'add', '--username', 'a', '--password-stdin'], 'needs --role'],
    [['users', 'add', '--username', 'a', '--role', 'boss', '--password-stdin'], '--role must be'],
    [['users', 'add', '--username', 'a', '--role', 'admin'], 'pass --password-stdin'],
    [['serve', '--port', '70000'], '--port must be a whole number from 0 to 65535'],
    [['patients', 'list', '--search'], "'--search <value>' argument missing"],
  ])('rejects %j', (argv, message) => {
    expect(usageErrorOf(argv).message).toContain(message);
  });

  it('remembers which command a usage error belongs to', () => {
    expect(usageErrorOf(['scans', 'list', '--colour']).command).toBe('scans list');
    expect(usageErrorOf([]).command).toBeUndefined();
  });
});
