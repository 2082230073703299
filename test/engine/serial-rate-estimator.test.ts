import assert from 'assert';
import fc from 'fast-check';
import { median, RateEstimator } from '../../src/serial/rate-estimator';
import { mulberry32 } from '../../src/random/mulberry32';

/** Feeds times and returns the estimates after each one (null while warming up). */
function run(times: number[], opts: ConstructorParameters<typeof RateEstimator>[0] = {}): Array<number | null> {
  const e = new RateEstimator(opts);
  return times.map((t) => {
    e.add(t);
    return e.rateHz;
  });
}

function within(actual: number | null, expected: number, rel: number, what: string): void {
  assert.ok(actual !== null, `${what}: no estimate`);
  assert.ok(Math.abs(actual - expected) <= rel * expected, `${what}: ${actual} Hz is not within ${rel * 100}% of ${expected} Hz`);
}

describe('serial rate estimator', () => {
  it('gives the exact rate from clean timestamps, after 32 samples', () => {
    const est = run(Array.from({ length: 300 }, (_, i) => 1000 + i * 10));
    assert.strictEqual(est[30], null);
    for (let i = 31; i < 300; i++) assert.strictEqual(est[i], 100, `sample ${i}`);
    const e = new RateEstimator();
    for (let i = 0; i < 100; i++) e.add(i * 4); // 250 Hz
    assert.strictEqual(e.rateHz, 250);
    assert.strictEqual(e.periodMs, 4);
  });

  it('stays within 1% with ±20% jitter on every timestamp', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const rnd = mulberry32(seed);
      const period = 1000 / 119;
      const times = Array.from({ length: 1000 }, (_, i) => i * period + (rnd() * 0.4 - 0.2) * period);
      const est = run(times);
      for (let i = 255; i < times.length; i++) within(est[i], 119, 0.01, `seed ${seed} sample ${i}`);
    }
  });

  it('stays within 1% of the rate while a dropped line passes through the window', () => {
    const rnd = mulberry32(7);
    const times: number[] = [];
    for (let i = 0; i < 800; i++) if (i !== 400) times.push(i * 10 + (rnd() * 0.4 - 0.2) * 10);
    const est = run(times);
    for (let i = 255; i < times.length; i++) within(est[i], 100, 0.01, `sample ${i}`);
  });

  it('with device timestamps, counts the samples lost in a gap', () => {
    const times: number[] = [];
    for (let i = 0; i < 600; i++) if (i < 300 || i >= 340) times.push(i * 5);
    const est = run(times, { indexFromTime: true });
    for (let i = 40; i < times.length; i++) assert.strictEqual(est[i], 200, `sample ${i}`);
  });

  it('stays within 1% through a burst after a 500 ms stall (host buffering)', () => {
    for (const seed of [11, 12, 13]) {
      const rnd = mulberry32(seed);
      const period = 10;
      const host: number[] = [];
      for (let i = 0; i < 1200; i++) {
        const produced = i * period;
        let t = produced + 1 + rnd() * 2 * (period / 5); // latency with ±20%-of-period jitter
        if (produced >= 5000 && produced < 5500) t = 5500 + 1 + (produced - 5000) * 0.001; // backlog in one burst
        host.push(Math.max(t, host.length > 0 ? host[host.length - 1] : 0));
      }
      const est = run(host);
      for (let i = 255; i < host.length; i++) within(est[i], 100, 0.01, `seed ${seed} sample ${i}`);
    }
  });

  it('stays within 1% when USB delivers lines in 16 ms packets', () => {
    const host = Array.from({ length: 1000 }, (_, i) => Math.ceil((i * 1000) / 119 / 16) * 16);
    const est = run(host);
    for (let i = 255; i < host.length; i++) within(est[i], 119, 0.01, `sample ${i}`);
  });

  it('its quickselect median equals the sorted-array median', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 300 }), (xs) => {
        const sorted = xs.slice().sort((a, b) => a - b);
        const mid = xs.length >> 1;
        const expected = xs.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        assert.strictEqual(median(Float64Array.from(xs), xs.length), expected);
      }),
      { seed: 5, numRuns: 2000 },
    );
  });

  it('keeps the previous estimate after a restart until the new run is long enough', () => {
    const e = new RateEstimator();
    for (let i = 0; i < 100; i++) e.add(i * 10);
    e.restart();
    for (let i = 0; i < 31; i++) e.add(50000 + i * 20);
    assert.strictEqual(e.rateHz, 100);
    e.add(50000 + 31 * 20);
    assert.strictEqual(e.rateHz, 50);
  });
});
