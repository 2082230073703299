/**
 * Where a replay board may read its recording from. A flow is data that anyone with editor
 * access can change, so a replay path must not become a way to read arbitrary files:
 * relative paths resolve inside the pack's data folder (<userDir>/tinyml/) or its own
 * examples/data/; absolute paths are accepted only inside those or inside folders the
 * administrator listed in settings.js as `tinyml.replayDirs`.
 */
import fs from 'fs';
import path from 'path';

export interface ReplayRoots {
  /** <userDir>/tinyml */
  dataDir: string;
  /** The pack's examples/data folder. */
  examplesDir: string;
  /** From the Node-RED setting tinyml.replayDirs. */
  extraDirs?: string[];
}

/** The pack's own examples/data folder, found from this file in src/ or any dist*\/src/ build. */
export function packExamplesDataDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'tools'))) {
      return path.join(dir, 'examples', 'data');
    }
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..', '..', 'examples', 'data');
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** The absolute, symlink-resolved path of the recording, or an error naming the allowed folders. */
export function resolveReplayFile(file: string, roots: ReplayRoots): string {
  const name = file.trim();
  if (name === '') throw new Error('replay board: no recording file set (a long-format CSV, e.g. gestures.csv in <userDir>/tinyml/)');
  const allowed = [roots.dataDir, roots.examplesDir, ...(roots.extraDirs ?? [])].map(realOrSelf);
  const where = `${roots.dataDir}, ${roots.examplesDir}${roots.extraDirs && roots.extraDirs.length > 0 ? `, ${roots.extraDirs.join(', ')}` : ''}`;
  let candidates: string[];
  if (path.isAbsolute(name)) {
    candidates = [name];
  } else {
    if (name.split(/[\\/]/).includes('..')) {
      throw new Error(`replay file '${name}' must not contain '..': give a path inside ${roots.dataDir}`);
    }
    candidates = [path.join(roots.dataDir, name), path.join(roots.examplesDir, name)];
  }
  const existing = candidates.find((c) => fs.existsSync(c));
  if (!existing) {
    throw new Error(`replay file '${name}' not found (looked in ${path.isAbsolute(name) ? name : where})`);
  }
  const real = fs.realpathSync(existing);
  if (!allowed.some((root) => isInside(real, root))) {
    throw new Error(`replay file '${name}' is outside the folders a replay board may read (${where}): ` +
      'move it there or add its folder to tinyml.replayDirs in settings.js');
  }
  if (!fs.statSync(real).isFile()) throw new Error(`replay file '${name}' is not a file`);
  return real;
}
