import assert from 'assert';
import { groupSplit, leaveOneGroupOut, randomSplit, type SplitItem } from '../../src/dataset/split';
import { mulberry32 } from '../../src/random/mulberry32';

function items(): SplitItem[] {
  const r: SplitItem[] = [];
  const groups = ['R01', 'R03', 'R05', 'R06', 'R07'];
  for (let i = 0; i < 100; i++) r.push({ label: i % 4 === 0 ? 'clap' : i % 2 ? 'punch' : 'flex', group: groups[i % 5] });
  return r;
}

describe('dataset splits', () => {
  it('mulberry32 is deterministic, in [0, 1) and differs by seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepStrictEqual(xs, Array.from({ length: 1000 }, () => b()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.notStrictEqual(mulberry32(43)(), mulberry32(42)());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
  });

  it('random split: same seed same split, partitions all items, stratified keeps proportions', () => {
    const it = items();
    const s1 = randomSplit(it, { testFraction: 0.2, seed: 1 });
    assert.deepStrictEqual(randomSplit(it, { testFraction: 0.2, seed: 1 }), s1);
    assert.notDeepStrictEqual(randomSplit(it, { testFraction: 0.2, seed: 2 }).test, s1.test);
    assert.strictEqual(s1.test.length, 20);
    assert.deepStrictEqual([...s1.train, ...s1.test].sort((a, b) => a - b), it.map((_, i) => i));
    const st = randomSplit(it, { testFraction: 0.2, seed: 3, stratify: true });
    const count = (idx: number[], l: string): number => idx.filter((i) => it[i].label === l).length;
    assert.deepStrictEqual(['clap', 'flex', 'punch'].map((l) => count(st.test, l)), [5, 5, 10]);
    assert.throws(() => randomSplit(it, { testFraction: 1.5, seed: 0 }), /within 0..1/);
  });

  it('group split never puts one group on both sides; leave-one-group-out gives one fold per group', () => {
    const it = items();
    for (let seed = 0; seed < 20; seed++) {
      const s = groupSplit(it, { testFraction: 0.3, seed });
      const g = (idx: number[]): Set<string> => new Set(idx.map((i) => it[i].group ?? ''));
      const both = [...g(s.train)].filter((x) => g(s.test).has(x));
      assert.deepStrictEqual(both, [], `seed ${seed}: groups on both sides`);
      assert.ok(s.test.length >= 30 && s.train.length > 0);
      assert.deepStrictEqual(groupSplit(it, { testFraction: 0.3, seed }), s);
    }
    const named = groupSplit(it, { testGroups: ['R06'] });
    assert.ok(named.test.every((i) => it[i].group === 'R06') && named.test.length === 20);
    assert.throws(() => groupSplit(it, { testGroups: ['R99'] }), /group "R99" is not in the dataset/);
    const folds = leaveOneGroupOut(it);
    assert.deepStrictEqual(folds.map((f) => f.group), ['R01', 'R03', 'R05', 'R06', 'R07']);
    assert.ok(folds.every((f) => f.test.length === 20 && f.train.length === 80));
  });
});
