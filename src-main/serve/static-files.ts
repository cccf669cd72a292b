import { createReadStream, existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, posix, resolve, sep } from 'node:path';
import { mimeTypeFor } from './mime-types.js';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Neurosphere is not built</title></head>
<body><h1>Neurosphere's user interface is not built</h1>
<p>The API is running, but there is no renderer to serve. Run <code>npm run build</code> and reload this page.</p>
</body></html>
`;

function sendText(res: ServerResponse, status: number, text: string, type = 'text/plain'): void {
  res.writeHead(status, {
    'Content-Type': `${type}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

/**
 * Vite names built assets by content hash, so they may be cached for ever; index.html must
 * always be revalidated or a new build would never reach the browser.
 */
function cacheControlFor(relativePath: string): string {
  return relativePath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** A client-side route (/patients/123) rather than a file (/assets/app.js). */
function isAppRoute(pathname: string): boolean {
  const last = pathname.split('/').pop() ?? '';
  return !last.includes('.');
}

export type StaticHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  decodedPath: string,
) => Promise<void>;

/**
 * Serves the built renderer from `rootDir` with a fallback to index.html for app routes.
 * `decodedPath` has already been checked for `..` segments by the server; resolving and
 * comparing real paths here is the second line, against symbolic links out of the folder.
 */
export function createStaticHandler(rootDir: string): StaticHandler {
  const root = resolve(rootDir);

  async function sendFile(res: ServerResponse, file: string, relativePath: string): Promise<void> {
    const info = await stat(file);
    res.writeHead(200, {
      'Content-Type': mimeTypeFor(file),
      'Content-Length': info.size,
      'Cache-Control': cacheControlFor(relativePath),
    });
    if (res.req.method === 'HEAD') {
      res.end();
      return;
    }
    await new Promise<void>((done) => {
      const stream = createReadStream(file);
      stream.on('error', () => {
        res.destroy();
        done();
      });
      stream.on('end', done);
      stream.pipe(res);
    });
  }

  async function findFile(relativePath: string): Promise<string | undefined> {
    const candidate = resolve(root, `.${relativePath}`);
    if (!isInside(root, candidate)) return undefined;
    try {
      const info = await stat(candidate);
      if (!info.isFile()) return undefined;
      const real = await realpath(candidate);
      return isInside(await realpath(root), real) ? real : undefined;
    } catch {
      return undefined;
    }
  }

  return async (req, res, decodedPath) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendText(res, 405, 'Method not allowed.');
      return;
    }
    const indexFile = join(root, 'index.html');
    if (!existsSync(indexFile)) {
      sendText(res, 503, NOT_BUILT_PAGE, 'text/html');
      return;
    }
    const relativePath = posix.normalize(decodedPath);
    // Dot files (.env, .git) are never part of a build.
    const isHidden = relativePath.split('/').some((segment) => segment.startsWith('.'));
    const file = isHidden || relativePath === '/' ? undefined : await findFile(relativePath);
    if (file !== undefined) {
      await sendFile(res, file, relativePath);
    } else if (relativePath === '/' || (!isHidden && isAppRoute(relativePath))) {
      await sendFile(res, indexFile, '/index.html');
    } else {
      sendText(res, 404, 'Not found.');
    }
  };
}
