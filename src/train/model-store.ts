/**
 * The model store: `<base>/<name>@<version>.json`, one file per trained model, never overwritten.
 * A new model takes the next version; the file is created exclusively ('wx'), so two trainings
 * finishing at once get different versions instead of one overwriting the other.
 */
import fs from 'fs';
import path from 'path';
import type { Artifact } from '../model/artifact';
import { parseArtifact } from '../model/artifact';

export interface StoredModel {
  file: string;
  name: string;
  version: number;
}

/** Model file names in the store: `<name>@<version>.json`, or `<name>.json` for a model placed there by hand. */
const MODEL_FILE = /^([A-Za-z0-9_-]{1,64})(?:@(\d{1,9}))?\.json$/;

/** The model name and version a store file name gives (version null when unversioned), or null for other files. */
export function parseModelFileName(file: string): { name: string; version: number | null } | null {
  const m = MODEL_FILE.exec(file);
  return m ? { name: m[1], version: m[2] !== undefined ? Number(m[2]) : null } : null;
}

/**
 * The file a node's model reference names (`gest@3`, `gest@3.json`, `sub/x.json`): resolved inside
 * the store, refused when it would leave it (absolute paths, '..').
 */
export function modelFileInStore(base: string, name: string): string {
  const file = path.resolve(base, name.endsWith('.json') ? name : `${name}.json`);
  const rel = path.relative(base, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`model '${name}' must be a file inside ${base}`);
  return file;
}

/** Versions of `name` in the store, ascending. */
export function modelVersions(base: string, name: string): number[] {
  if (!fs.existsSync(base)) return [];
  return fs.readdirSync(base).map(parseModelFileName)
    .filter((f): f is { name: string; version: number } => f !== null && f.name === name && f.version !== null)
    .map((f) => f.version).sort((a, b) => a - b);
}

/** Writes the artifact as the next version of its name; returns where. */
export async function saveModel(base: string, artifact: Artifact): Promise<StoredModel> {
  await fs.promises.mkdir(base, { recursive: true });
  for (let attempt = 0; attempt < 100; attempt++) {
    const versions = modelVersions(base, artifact.name);
    const version = (versions.length ? versions[versions.length - 1] : 0) + 1;
    const file = path.join(base, `${artifact.name}@${version}.json`);
    const stored: Artifact = { ...artifact, training: { ...(artifact.training ?? {}), version } };
    try {
      const h = await fs.promises.open(file, 'wx');
      try {
        await h.writeFile(JSON.stringify(stored, null, 1) + '\n');
        await h.sync();
      } finally {
        await h.close();
      }
      return { file, name: artifact.name, version };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new Error(`could not find a free version for model "${artifact.name}" in ${base}`);
}

/** Reads a stored model (the latest version when `version` is omitted). */
export function loadStoredModel(base: string, name: string, version?: number): Artifact {
  const versions = modelVersions(base, name);
  const v = version ?? versions[versions.length - 1];
  if (v === undefined || !versions.includes(v)) throw new Error(`model "${name}"${version ? ` version ${version}` : ''} is not in ${base}`);
  return parseArtifact(fs.readFileSync(path.join(base, `${name}@${v}.json`), 'utf8'));
}
