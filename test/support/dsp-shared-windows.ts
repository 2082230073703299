/**
 * Windows cut from the shared real recordings (found through sharedDataDir()) for the feature
 * parity tests: gestures (119 × 6 at 119 Hz), fan vibration (200 × 3 at 200 Hz) and HAR (sliding
 * 128 × 6 windows with stride 64 at 50 Hz within one experiment, users 01 and 03).
 */
import fs from 'fs';
import path from 'path';
import type { WindowShape } from '../../src/dsp/feature-pipeline';
import { sharedDataDir } from './shared-data';

export interface SharedWindows {
  shape: WindowShape;
  windows: number[][][];
  /** where each window comes from, for messages */
  keys: string[];
}

function rowsOf(file: string): string[][] {
  return fs.readFileSync(file, 'utf8').split('\n').slice(1).filter((l) => l.trim()).map((l) => l.split(','));
}

/** Consecutive rows with the same key form one recording. */
function groups(rows: string[][], key: (r: string[]) => string): Array<{ key: string; rows: string[][] }> {
  const out: Array<{ key: string; rows: string[][] }> = [];
  for (const r of rows) {
    const k = key(r);
    if (!out.length || out[out.length - 1].key !== k) out.push({ key: k, rows: [] });
    out[out.length - 1].rows.push(r);
  }
  return out;
}

export function gestureWindows(): SharedWindows {
  const rows = rowsOf(path.join(sharedDataDir(), 'gestures', 'gestures.csv'));
  const g = groups(rows, (r) => `${r[0]}/${r[2]}/${r[3]}`).filter((x) => x.rows.length === 119);
  return {
    shape: { windowLength: 119, axes: ['aX', 'aY', 'aZ', 'gX', 'gY', 'gZ'], rate: 119 },
    windows: g.map((x) => x.rows.map((r) => r.slice(5, 11).map(Number))),
    keys: g.map((x) => x.key),
  };
}

export function fanWindows(): SharedWindows {
  const dir = path.join(sharedDataDir(), 'fan-vibration');
  const windows: number[][][] = [];
  const keys: string[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).sort()) {
    for (const x of groups(rowsOf(path.join(dir, file)), (r) => r[0])) {
      if (x.rows.length !== 200) continue;
      windows.push(x.rows.map((r) => r.slice(2, 5).map(Number)));
      keys.push(`${file}/${x.key}`);
    }
  }
  return { shape: { windowLength: 200, axes: ['ax', 'ay', 'az'], rate: 200 }, windows, keys };
}

export function harWindows(users = ['user01.csv', 'user03.csv']): SharedWindows {
  const windows: number[][][] = [];
  const keys: string[] = [];
  for (const file of users) {
    for (const x of groups(rowsOf(path.join(sharedDataDir(), 'har', file)), (r) => r[0])) {
      for (let s = 0; s + 128 <= x.rows.length; s += 64) {
        windows.push(x.rows.slice(s, s + 128).map((r) => r.slice(3, 9).map(Number)));
        keys.push(`${file}/exp${x.key}/${s}`);
      }
    }
  }
  return { shape: { windowLength: 128, axes: ['accX', 'accY', 'accZ', 'gyrX', 'gyrY', 'gyrZ'], rate: 50 }, windows, keys };
}
