/**
 * Dataset names and where their folders live: every path is kept inside the base directory.
 */
import fs from 'fs';
import path from 'path';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Returns an error message for an invalid name, or null when the name is usable. */
export function datasetNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name.length === 0) return 'a dataset name is required';
  if (!NAME.test(name) || name.includes('..')) {
    return `invalid dataset name "${name}": use 1-64 letters, digits, '_', '.', '-', starting with a letter or digit, without '..'`;
  }
  return null;
}

/** Folder of the dataset `name` under `baseDir`; throws when the name would leave the base directory. */
export function datasetDir(baseDir: string, name: string): string {
  const problem = datasetNameProblem(name);
  if (problem) throw new Error(problem);
  const base = path.resolve(baseDir);
  const dir = path.resolve(base, name);
  const rel = path.relative(base, dir);
  if (rel !== name || rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`dataset "${name}" would lie outside ${base}`);
  return dir;
}

/** After the folder exists: refuses a folder that is a symbolic link leading outside the base directory. */
export function assertInsideBase(baseDir: string, dir: string): void {
  const base = fs.realpathSync(baseDir);
  const real = fs.realpathSync(dir);
  const rel = path.relative(base, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`dataset folder ${dir} resolves outside ${base}: refusing to use it`);
}
