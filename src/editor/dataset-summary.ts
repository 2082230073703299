/**
 * What the editor's TinyML sidebar shows of the datasets: counts per label, and a few recorded
 * windows per label reduced to a plottable size. Reads the dataset store read-only.
 */
import { DatasetStore, listDatasets, type RecordSummary } from '../dataset/store';
import { datasetNameProblem } from '../dataset/dataset-name';

export interface DatasetOverview {
  name: string;
  records: number;
  /** Records per label; unlabelled records count under "". */
  counts: Record<string, number>;
  /** Set when the dataset could not be read (the rest of the list is still served). */
  error?: string;
}

export interface WindowPreview {
  id: number;
  kind: 'window' | 'recording';
  group?: string;
  axes: string[];
  rate: number | null;
  /** Samples in the stored record. */
  samples: number;
  /** Every `step`-th sample of the record (samples × axes), at most `maxSamples` rows. */
  data: number[][];
  step: number;
}

export interface LabelPreview {
  label: string;
  count: number;
  windows: WindowPreview[];
}

export interface DatasetPreview {
  name: string;
  records: number;
  labels: LabelPreview[];
}

export interface PreviewOptions {
  /** Windows shown per label (the most recent ones). */
  perLabel?: number;
  /** Rows kept per window after decimation. */
  maxSamples?: number;
}

export async function datasetOverviews(baseDir: string): Promise<DatasetOverview[]> {
  const names = await listDatasets(baseDir);
  return Promise.all(names.map(async (name): Promise<DatasetOverview> => {
    try {
      const store = await DatasetStore.open(baseDir, name, { readOnly: true });
      try {
        return { name, records: store.count, counts: store.counts() };
      } finally {
        await store.close();
      }
    } catch (e) {
      return { name, records: 0, counts: {}, error: (e as Error).message };
    }
  }));
}

/** Keeps every step-th row so that at most maxSamples rows remain (a plot needs no more). */
export function decimateRows(data: readonly number[][], maxSamples: number): { data: number[][]; step: number } {
  const step = Math.max(1, Math.ceil(data.length / Math.max(1, maxSamples)));
  const out: number[][] = [];
  for (let i = 0; i < data.length; i += step) out.push(data[i].slice());
  return { data: out, step };
}

export async function datasetPreview(baseDir: string, name: string, opts: PreviewOptions = {}): Promise<DatasetPreview> {
  const problem = datasetNameProblem(name);
  if (problem) throw new Error(problem);
  const perLabel = Math.min(Math.max(opts.perLabel ?? 3, 1), 10);
  const maxSamples = Math.min(Math.max(opts.maxSamples ?? 120, 8), 1000);
  const store = await DatasetStore.open(baseDir, name, { readOnly: true });
  try {
    const byLabel = new Map<string, RecordSummary[]>();
    for (const s of store.summaries()) {
      const label = s.label ?? '';
      const list = byLabel.get(label) ?? [];
      list.push(s);
      byLabel.set(label, list);
    }
    const labels: LabelPreview[] = [];
    for (const [label, list] of [...byLabel.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
      const windows: WindowPreview[] = [];
      for (const s of list.slice(-perLabel)) {
        const r = await store.read(s);
        const d = decimateRows(r.data, maxSamples);
        windows.push({ id: r.id, kind: r.kind, group: r.group, axes: r.axes, rate: r.rate, samples: r.data.length, data: d.data, step: d.step });
      }
      labels.push({ label, count: list.length, windows });
    }
    return { name, records: store.count, labels };
  } finally {
    await store.close();
  }
}
