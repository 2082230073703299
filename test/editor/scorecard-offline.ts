/**
 * Preload (`node --require`) for `node-red-dev validate` on a machine without the Node-RED catalogue
 * or the npm registry: every outgoing HTTP(S) request is answered by a local server instead.
 *  - catalogue.nodered.org/catalogue.json: an empty catalogue (P08/N01 name collisions then pass
 *    trivially: they cannot be checked offline).
 *  - <registry>/node-red: the registry's answer recorded for this test (dist-tags and the latest
 *    version's engines), so P06/P07 judge our declared ranges against the real current release.
 *  - <registry>/<package>: built from the installed node_modules tree (every installed version with its
 *    dependencies), so D02 walks the real dependency tree and D03 sees the installed versions as latest.
 *  - anything else: 503, so that a new network check fails loudly instead of hanging.
 */
import fs from 'fs';
import http from 'http';
import https from 'https';
import path from 'path';

/** `npm view node-red dist-tags engines` when this test was written (Node-RED 5.0.7). */
export const RECORDED_NODE_RED = {
  name: 'node-red',
  'dist-tags': { latest: '5.0.7' },
  versions: { '5.0.7': { name: 'node-red', version: '5.0.7', engines: { node: '>=22.9' } } },
};

interface Manifest { name?: string; version?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }

const root = path.resolve(__dirname, '..', '..', '..');
let installed: Map<string, Map<string, Manifest>> | null = null;

/** Every package.json under node_modules (nested copies included), by name and version. */
function installedPackages(): Map<string, Map<string, Manifest>> {
  if (installed) return installed;
  const found = new Map<string, Map<string, Manifest>>();
  const visit = (dir: string, depth: number): void => {
    if (depth > 8 || !fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir)) {
      if (entry.startsWith('.')) continue;
      const full = path.join(dir, entry);
      if (entry.startsWith('@')) { visit(full, depth); continue; }
      try {
        const m = JSON.parse(fs.readFileSync(path.join(full, 'package.json'), 'utf8')) as Manifest;
        if (m.name && m.version) {
          const versions = found.get(m.name) ?? new Map<string, Manifest>();
          versions.set(m.version, { name: m.name, version: m.version, dependencies: m.dependencies ?? {}, optionalDependencies: m.optionalDependencies ?? {} });
          found.set(m.name, versions);
        }
      } catch {
        // not a package folder
      }
      visit(path.join(full, 'node_modules'), depth + 1);
    }
  };
  visit(path.join(root, 'node_modules'), 0);
  installed = found;
  return found;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map(Number);
  const pb = b.split(/[.+-]/).map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] || 0) !== (pb[i] || 0)) return (pa[i] || 0) - (pb[i] || 0);
  return 0;
}

function answer(url: URL): { status: number; body: unknown } {
  if (url.hostname === 'catalogue.nodered.org') return { status: 200, body: { name: 'Node-RED Community catalogue', updated_at: '', modules: [] } };
  const name = decodeURIComponent(url.pathname.slice(1));
  if (name === 'node-red') return { status: 200, body: RECORDED_NODE_RED };
  const versions = installedPackages().get(name);
  if (!versions) return { status: 404, body: { error: `not installed here: ${name}` } };
  const list = [...versions.keys()].sort(compareVersions);
  return { status: 200, body: { name, 'dist-tags': { latest: list[list.length - 1] }, versions: Object.fromEntries(versions) } };
}

const server = http.createServer((req, res) => {
  let target: URL;
  try {
    target = new URL(String(new URL(req.url ?? '/', 'http://local').searchParams.get('u')));
  } catch {
    res.writeHead(400).end();
    return;
  }
  const known = target.hostname === 'catalogue.nodered.org' || /registry/.test(target.hostname);
  const { status, body } = known ? answer(target) : { status: 503, body: { error: `offline: ${target.href}` } };
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
});
server.listen(0, '127.0.0.1');
server.unref();

type RequestFn = typeof http.request;
const originalRequest: RequestFn = http.request.bind(http);

/** The URL a request(url?, options?, callback?) call is for. */
function targetOf(args: unknown[], defaultProtocol: string): URL {
  const [a, b] = args;
  if (typeof a === 'string' || a instanceof URL) return new URL(String(a));
  const o = (a ?? b ?? {}) as http.RequestOptions & { href?: string };
  const protocol = o.protocol ?? defaultProtocol;
  const host = o.hostname ?? o.host ?? 'localhost';
  return new URL(`${protocol}//${host}${o.path ?? '/'}`);
}

function redirected(defaultProtocol: string): RequestFn {
  return ((...args: unknown[]) => {
    const target = targetOf(args, defaultProtocol);
    const address = server.address();
    const port = address && typeof address === 'object' ? address.port : 0;
    const opts = (typeof args[0] === 'object' && !(args[0] instanceof URL) ? args[0] : typeof args[1] === 'object' ? args[1] : {}) as http.RequestOptions;
    const callback = args.find((x) => typeof x === 'function') as ((res: http.IncomingMessage) => void) | undefined;
    const req = originalRequest({
      host: '127.0.0.1', port, method: opts.method ?? 'GET', path: `/?u=${encodeURIComponent(target.href)}`,
      headers: { accept: 'application/json' },
    }, callback);
    return req;
  }) as RequestFn;
}

for (const [mod, protocol] of [[http, 'http:'], [https, 'https:']] as const) {
  const request = redirected(protocol);
  const m = mod as unknown as { request: RequestFn; get: RequestFn };
  m.request = request;
  m.get = ((...args: Parameters<RequestFn>) => {
    const req = request(...args);
    req.end();
    return req;
  }) as RequestFn;
}
