/**
 * Serves the diagram page to Chromium on 127.0.0.1 (an ephemeral port): the very HTML the
 * panel host makes (CSP included), the webview bundles built from source with build.mjs's
 * options, the harness host, and mermaid for the Mermaid test.
 */
import { build } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagramHtml } from '../../../extension/src/diagram/html';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const OUT = join(ROOT, 'test-output', 'webview');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.map': 'application/json',
  '.css': 'text/css',
};

/** Bundles the webview, its worker and the harness host, as scripts/build.mjs does for dist/. */
export async function buildBundles(): Promise<void> {
  const common = {
    bundle: true,
    sourcemap: true,
    logLevel: 'warning',
    legalComments: 'none',
    absWorkingDir: ROOT,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
  } as const;
  await Promise.all([
    build({ ...common, entryPoints: ['webview/src/main.ts'], outfile: join(OUT, 'dist/webview.js') }),
    build({ ...common, entryPoints: ['webview/src/layoutWorker.ts'], outfile: join(OUT, 'dist/layoutWorker.js') }),
    build({ ...common, entryPoints: ['test/webview/harness/host.ts'], outfile: join(OUT, 'harness/host.js'), minify: false }),
  ]);
}

/** Layout workers that answer wrongly or not at all: the page must stay in control of what it draws and says. */
const BROKEN_WORKERS: Record<string, string> = {
  // A "laid-out graph" whose coordinates are markup.
  malformed: `onmessage = (e) => postMessage({ id: e.data.id, graph: { width: 1, height: 1, children: [{ id: 'c0', x: '<img src=x onerror=alert(1)>', y: 0, width: 1, height: 1 }], edges: [] } });`,
  // An error far longer than any message should be.
  'long-error': `onmessage = (e) => postMessage({ id: e.data.id, error: '<b>x</b>'.repeat(200000) });`,
  // Replies that answer nothing, then silence: only the time budget ends the wait.
  silent: `onmessage = (e) => { postMessage('not an answer'); postMessage({ id: 'x', graph: {} }); postMessage(null); };`,
};

export interface HarnessServer {
  origin: string;
  close(): Promise<void>;
}

export async function startServer(): Promise<HarnessServer> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const origin = `http://${req.headers.host}`;
      if (url.pathname === '/' || url.pathname === '/index.html') {
        const nonce = randomBytes(16).toString('base64');
        // `?worker-script=kind` swaps in a layout worker that misbehaves (see BROKEN_WORKERS).
        const broken = url.searchParams.get('worker-script');
        let html = diagramHtml({
          cspSource: origin,
          nonce,
          scriptUri: `${origin}/dist/webview.js`,
          workerUri: broken ? `${origin}/broken-worker/${encodeURIComponent(broken)}.js` : `${origin}/dist/layoutWorker.js`,
          title: 'Diagram',
        });
        // The stand-in for VS Code runs first, with the page's nonce, as VS Code's own script would.
        html = html.replace('<script nonce', `<script nonce="${nonce}" src="${origin}/harness/host.js"></script>\n<script nonce`);
        if (url.searchParams.get('worker') === 'blob') html = html.replace('<body ', '<body data-worker-mode="blob" ');
        const budget = url.searchParams.get('budget');
        if (budget) html = html.replace('<body ', `<body data-layout-budget="${Number(budget)}" `);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
        return;
      }
      const broken = /^\/broken-worker\/([\w-]+)\.js$/.exec(url.pathname)?.[1];
      if (broken !== undefined && broken in BROKEN_WORKERS) {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(BROKEN_WORKERS[broken]);
        return;
      }
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      if (url.pathname === '/blank.html') {
        res
          .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
          .end('<!DOCTYPE html><html><body><div id="out"></div></body></html>');
        return;
      }
      const mapped = url.pathname.startsWith('/mermaid/')
        ? join(ROOT, 'node_modules/mermaid/dist', url.pathname.slice('/mermaid/'.length))
        : join(OUT, normalize(url.pathname).replace(/^([/\\])+/, ''));
      if (!mapped.startsWith(OUT) && !mapped.startsWith(join(ROOT, 'node_modules/mermaid/dist'))) {
        res.writeHead(403).end();
        return;
      }
      try {
        const body = await readFile(mapped);
        res.writeHead(200, { 'content-type': TYPES[extname(mapped)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
