/** One benchmark figure, printed by the bench runner; `baseline` is measured in the same run when given. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  /** The target for this figure, checked and shown by the runner. */
  target?: { atLeast?: number; below?: number };
  note?: string;
}
