/**
 * The pack's data folder `<userDir>/tinyml` (Node-RED's user directory, else ~/.node-red, as
 * Node-RED itself defaults) and its parts: every node reads and writes only below it.
 */
import os from 'os';
import path from 'path';
import type { NodeAPI } from './red-types';

export interface PackDirs {
  root: string;
  datasets: string;
  models: string;
  /** sketch builds of the deploy node */
  build: string;
}

export function packDirs(settings: NodeAPI['settings']): PackDirs {
  const userDir = typeof settings.userDir === 'string' && settings.userDir !== '' ? settings.userDir : path.join(os.homedir(), '.node-red');
  const root = path.join(userDir, 'tinyml');
  return { root, datasets: path.join(root, 'datasets'), models: path.join(root, 'models'), build: path.join(root, 'build') };
}
