/**
 * A plain static file server for the deployment tests (not vite preview): serves a build
 * folder under a path prefix with the two cross-origin isolation headers, as a static host
 * configured per the README would, and records every request that falls outside the prefix.
 * `setRoot` swaps the folder (a new version of the app deployed at the same address).
 */
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.gz': 'application/gzip',
  '.zip': 'application/zip',
};

export interface StaticServer {
  origin: string;
  /** Requests for paths outside the prefix (a build that escapes its sub-path). */
  outside: string[];
  setRoot(dir: string): void;
  close(): Promise<void>;
}

export async function startStaticServer(opts: { root: string; prefix?: string }): Promise<StaticServer> {
  const prefix = opts.prefix ?? '/';
  let root = opts.root;
  const outside: string[] = [];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (!path.startsWith(prefix)) {
      outside.push(path);
      res.writeHead(404).end('outside the sub-path');
      return;
    }
    const rel = normalize(path.slice(prefix.length) || 'index.html');
    if (rel.startsWith('..')) return void res.writeHead(403).end();
    const file = join(root, rel.endsWith('/') ? `${rel}index.html` : rel);
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        // As a static host would for the service worker: always ask again.
        'Cache-Control': 'no-cache',
      });
      res.end(await readFile(file));
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    outside,
    setRoot: (dir) => void (root = dir),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
