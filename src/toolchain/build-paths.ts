/**
 * Where the pack lives and where it writes build outputs (compiled sketches, the emulator
 * harness, the cached Arduino core): `build/` at the package root, git-ignored; the system
 * temporary folder when the package folder is read-only (a global install).
 */
import fs from 'fs';
import os from 'os';
import path from 'path';

const PACKAGE_NAME = '@tinyml-flow/node-red-tinyml';

/** The package root: found by walking up from this file, so it works from dist and from any dist-NAME folder. */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if ((JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
      } catch {
        // an unreadable package.json is not ours: keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${__dirname}`);
    dir = parent;
  }
}

/** `build/<topic>` under the package root (created), or under the temp folder if that is read-only. */
export function buildDir(topic: string): string {
  const preferred = path.join(packageRoot(), 'build', topic);
  try {
    fs.mkdirSync(preferred, { recursive: true });
    fs.accessSync(preferred, fs.constants.W_OK);
    return preferred;
  } catch {
    const fallback = path.join(os.tmpdir(), 'tinyml-build', topic);
    fs.mkdirSync(fallback, { recursive: true });
    return fallback;
  }
}
