/**
 * Classification and anomaly metrics: accuracy, confusion matrix (confusion[actual][predicted]),
 * per-class precision and recall, and ROC AUC by the Mann–Whitney U statistic
 * (Hanley & McNeil, Radiology 143, 1982: AUC = P(score of an anomaly > score of a normal), ties ½).
 */
export interface ClassificationMetrics {
  [key: string]: number | (number | null)[] | number[][] | string[] | null;
  accuracy: number;
  confusion: number[][];
  /** One per label; null when nothing was predicted as / labelled with that class. */
  precision: (number | null)[];
  recall: (number | null)[];
  labels: string[];
  count: number;
}

export function classificationMetrics(labels: string[], actual: readonly number[], predicted: readonly number[]): ClassificationMetrics {
  const k = labels.length;
  const confusion = labels.map(() => new Array<number>(k).fill(0));
  let correct = 0;
  actual.forEach((a, i) => {
    confusion[a][predicted[i]]++;
    if (a === predicted[i]) correct++;
  });
  const precision = labels.map((_, c) => {
    const col = confusion.reduce((s, row) => s + row[c], 0);
    return col ? confusion[c][c] / col : null;
  });
  const recall = labels.map((_, c) => {
    const row = confusion[c].reduce((s, v) => s + v, 0);
    return row ? confusion[c][c] / row : null;
  });
  return { accuracy: actual.length ? correct / actual.length : 0, confusion, precision, recall, labels, count: actual.length };
}

/** ROC AUC of anomaly scores: 1 = every anomaly scores above every normal window. */
export function rocAuc(normalScores: readonly number[], anomalyScores: readonly number[]): number {
  if (!normalScores.length || !anomalyScores.length) return NaN;
  const all = [...normalScores.map((s) => ({ s, a: 0 })), ...anomalyScores.map((s) => ({ s, a: 1 }))].sort((x, y) => x.s - y.s);
  // Mid-ranks for ties, then U = R_anomaly − n_a(n_a+1)/2.
  let rankSum = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].s === all[i].s) j++;
    const mid = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) if (all[t].a) rankSum += mid;
    i = j + 1;
  }
  const na = anomalyScores.length;
  return (rankSum - (na * (na + 1)) / 2) / (na * normalScores.length);
}

/** The value below which `p` (0..100) percent of the scores lie (linear interpolation, numpy's default). */
export function percentile(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const pos = (p / 100) * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
