/**
 * Train/test splits of dataset records: random (seeded, optionally stratified by label), by
 * group (recording session or person: a group is never on both sides) and leave-one-group-out.
 * All splits return indices into the given list, sorted ascending.
 */
import { mulberry32 } from '../random/mulberry32';

/** Fisher–Yates shuffle (Knuth, TAOCP vol. 2, Algorithm P) of a copy, driven by `rand`. */
export function shuffled<T>(items: readonly T[], rand: () => number): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export interface Split {
  train: number[];
  test: number[];
}

export interface SplitItem {
  label?: string;
  group?: string;
}

function checkFraction(f: number): void {
  if (!(f >= 0 && f <= 1)) throw new Error(`test fraction must be within 0..1, got ${f}`);
}

const asc = (a: number, b: number): number => a - b;

/**
 * Random split: round(n × testFraction) items go to test. With `stratify`, each label is split on
 * its own, so label proportions match on both sides (each label with >= 2 items keeps one on each side).
 */
export function randomSplit(items: readonly SplitItem[], opts: { testFraction: number; seed: number; stratify?: boolean }): Split {
  checkFraction(opts.testFraction);
  const rand = mulberry32(opts.seed);
  const pools: number[][] = [];
  if (opts.stratify) {
    const byLabel = new Map<string, number[]>();
    items.forEach((it, i) => {
      const k = it.label ?? '';
      const list = byLabel.get(k) ?? [];
      list.push(i);
      byLabel.set(k, list);
    });
    for (const k of [...byLabel.keys()].sort()) pools.push(byLabel.get(k) as number[]);
  } else {
    pools.push(items.map((_, i) => i));
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const pool of pools) {
    const order = shuffled(pool, rand);
    let nTest = Math.round(order.length * opts.testFraction);
    if (opts.stratify && order.length >= 2 && opts.testFraction > 0 && opts.testFraction < 1) nTest = Math.min(order.length - 1, Math.max(1, nTest));
    test.push(...order.slice(0, nTest));
    train.push(...order.slice(nTest));
  }
  return { train: train.sort(asc), test: test.sort(asc) };
}

/** Distinct groups in first-seen order (items without a group form the group ""). */
export function groupsOf(items: readonly SplitItem[]): string[] {
  return [...new Set(items.map((it) => it.group ?? ''))];
}

/**
 * Group split: whole groups go to test, either the named ones (`testGroups`) or, shuffled with the
 * seed, groups until at least `testFraction` of the items are in test (at least one group, never all).
 */
export function groupSplit(items: readonly SplitItem[], opts: { testGroups?: string[]; testFraction?: number; seed?: number }): Split {
  const groups = groupsOf(items);
  let chosen: Set<string>;
  if (opts.testGroups && opts.testGroups.length > 0) {
    for (const g of opts.testGroups) if (!groups.includes(g)) throw new Error(`group "${g}" is not in the dataset (groups: ${groups.join(', ')})`);
    chosen = new Set(opts.testGroups);
  } else {
    const f = opts.testFraction ?? 0.2;
    checkFraction(f);
    if (groups.length < 2) throw new Error(`a group split needs at least 2 groups, the dataset has ${groups.length}`);
    const sizes = new Map<string, number>();
    for (const it of items) sizes.set(it.group ?? '', (sizes.get(it.group ?? '') ?? 0) + 1);
    chosen = new Set();
    let inTest = 0;
    for (const g of shuffled(groups, mulberry32(opts.seed ?? 0))) {
      if (chosen.size > 0 && inTest >= f * items.length) break;
      if (chosen.size === groups.length - 1) break;
      chosen.add(g);
      inTest += sizes.get(g) ?? 0;
    }
  }
  const train: number[] = [];
  const test: number[] = [];
  items.forEach((it, i) => (chosen.has(it.group ?? '') ? test : train).push(i));
  return { train, test };
}

/** Leave-one-group-out: one fold per group, that group alone in test. */
export function leaveOneGroupOut(items: readonly SplitItem[]): Array<Split & { group: string }> {
  return groupsOf(items).map((g) => ({ group: g, ...groupSplit(items, { testGroups: [g] }) }));
}
