/**
 * Dataset store throughput: windows appended per second with the store's durability policy
 * (one write + fdatasync per window), against a plain `fs.appendFile` of the same JSON lines
 * (no checksum, no sync: data may still sit in the page cache) in the same run.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { BenchRow } from './bench-row';
import { DatasetStore, type NewRecord } from '../src/dataset/store';
import { encodeEntry } from '../src/dataset/record';

/** A 1 s window at 119 Hz of 6 axes, like the gesture recordings. */
function window(k: number): NewRecord {
  const data: number[][] = [];
  for (let t = 0; t < 119; t++) data.push([0, 1, 2, 3, 4, 5].map((a) => Math.round(Math.sin(k + t * 0.1 + a) * 1000) / 1000));
  return { kind: 'window', label: k % 2 ? 'punch' : 'flex', group: 'bench', time: k * 1000, axes: ['ax', 'ay', 'az', 'gx', 'gy', 'gz'], rate: 119, data };
}

async function rate(n: number, run: (i: number) => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await run(i);
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

export async function benchDataset(): Promise<BenchRow[]> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-bench-ds-'));
  try {
    const n = 300;
    const recs = Array.from({ length: n }, (_, i) => window(i));
    const plainFile = path.join(base, 'plain.jsonl');
    const plain = await rate(n, (i) => fs.promises.appendFile(plainFile, JSON.stringify(recs[i]) + '\n'));
    const store = await DatasetStore.open(base, 'synced');
    const synced = await rate(n, async (i) => { await store.append(recs[i]); });
    await store.close();
    const batched = await DatasetStore.open(base, 'batched');
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i += 100) await batched.append(recs.slice(i, i + 100));
    const batchRate = n / (Number(process.hrtime.bigint() - t0) / 1e9);
    await batched.close();
    const t1 = process.hrtime.bigint();
    const reopened = await DatasetStore.open(base, 'synced', { readOnly: true });
    const openMs = Number(process.hrtime.bigint() - t1) / 1e6;
    const bytes = encodeEntry({ id: 1, ...recs[0] }).length;
    return [
      { name: 'dataset append, fdatasync per window (119×6)', value: Math.round(synced), unit: 'windows/s', baseline: Math.round(plain), note: `baseline: fs.appendFile without sync; ${bytes} bytes/record; tmpdir ${os.tmpdir()}` },
      { name: 'dataset append, 100 windows per write + fdatasync (import)', value: Math.round(batchRate), unit: 'windows/s', baseline: Math.round(plain) },
      { name: `dataset open + CRC scan of ${reopened.count} windows`, value: Math.round(openMs * 10) / 10, unit: 'ms' },
    ];
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchDataset().then((rows) => console.log(JSON.stringify(rows, null, 2)), (e: Error) => { console.error(e); process.exitCode = 1; });
}
