/**
 * The real sensor recordings live outside the repository, in ../shared/data beside the checkout
 * (or where TINYML_SHARED_DATA points). Tests on them fail with this message when absent.
 */
import fs from 'fs';
import path from 'path';

export function sharedDataDir(): string {
  const dir = process.env.TINYML_SHARED_DATA ?? path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'data');
  if (!fs.existsSync(dir)) {
    throw new Error(`the shared recordings are not at ${dir}: set TINYML_SHARED_DATA to the folder holding gestures/, fan-vibration/ and har/`);
  }
  return dir;
}

/** Tests on the shared recordings carry this tag in their title: `npm run test:data` runs them, `npm test` does not. */
export const SHARED_DATA_TAG = '@shared-data';

/** The shared recordings folder as a one-element list when it exists (for settings such as tinyml.replayDirs), else []. */
export function sharedDataDirsIfPresent(): string[] {
  try {
    return [sharedDataDir()];
  } catch {
    return [];
  }
}
