/**
 * Samples per second through the capture node in a real Node-RED runtime (the test helper's),
 * one message per sample and batched, with the event-loop delay p99 meanwhile.
 * Lines are fed into the board's line path (BoardNode.feedLine), the same path the serial pool
 * delivers to: a pty at 115200 baud carries only ~11.5 KB/s (~400 six-axis lines/s), far below
 * what this measures. The board itself is connected to a real (silent) pty.
 */
import os from 'os';
import path from 'path';
import { monitorEventLoopDelay } from 'perf_hooks';
import boardModule from '../nodes/tinyml-board';
import captureModule from '../nodes/tinyml-capture';
import type { BoardNode } from '../nodes/board-api';
import { sharedSerialPool } from '../src/serial/serial-pool';
import { HelperNode, initHelper, removeHelperSpies } from '../test/support/node-helper';
import { makeDevice, makeTempDir, removeTempDir, waitFor } from '../test/support/pty';
import { BenchRow } from './bench-row';

const SAMPLES = 200_000;
/** Lines fed per event-loop turn: about what one serial read delivers at a high rate. */
const CHUNK = 50;

async function run(batch: number): Promise<{ perSecond: number; p99Ms: number; received: number }> {
  const helper = initHelper();
  const dir = makeTempDir('tinyml-bench-');
  const dev = await makeDevice(path.join(dir, 'uno'));
  helper.settings({ userDir: dir });
  await new Promise<void>((resolve, reject) => helper.startServer((err) => (err ? reject(err) : resolve())));
  try {
    await helper.load([boardModule, captureModule], [
      { id: 'b1', type: 'tinyml-board', name: 'bench', path: dev.path as string, baud: 115200, boardType: 'uno' },
      { id: 'c1', type: 'tinyml-capture', board: 'b1', batch, timestamp: 'none', axes: '', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    // The helper wraps Node.prototype.send/status in sinon spies that record every call: that is
    // the test harness's cost, not Node-RED's, so it is removed for the measurement.
    removeHelperSpies(['b1', 'c1', 'out']);
    const board = helper.getNode('b1') as unknown as BoardNode;
    await waitFor(() => board.portStatus.state === 'connected', 5000, 'board connected');
    let received = 0;
    (helper.getNode('out') as HelperNode).on('input', ((msg: { payload: unknown[] }) => {
      received += batch === 1 ? 1 : msg.payload.length;
    }) as (arg: never) => void);
    const lines: string[] = [];
    for (let i = 0; i < 1000; i++) lines.push(`${(i % 97) / 10},${-(i % 13) / 7},${i % 5},0.25,-1.5,${i}`);
    const lag = monitorEventLoopDelay({ resolution: 1 });
    const t0 = performance.now();
    lag.enable();
    let fed = 0;
    const start = performance.timeOrigin + t0;
    await new Promise<void>((resolve) => {
      const feed = (): void => {
        for (let k = 0; k < CHUNK && fed < SAMPLES; k++, fed++) {
          board.feedLine(lines[fed % 1000], start + fed * 0.01);
        }
        if (fed < SAMPLES) setImmediate(feed);
        else resolve();
      };
      feed();
    });
    // Lines after the first few are all samples; wait for delivery of what was accepted.
    await waitFor(() => received >= SAMPLES - 10 * batch, 60000, 'all samples delivered');
    const seconds = (performance.now() - t0) / 1000;
    lag.disable();
    return { perSecond: received / seconds, p99Ms: lag.percentile(99) / 1e6, received };
  } finally {
    await helper.unload();
    await new Promise<void>((resolve) => helper.stopServer(() => resolve()));
    await dev.stop();
    removeTempDir(dir);
  }
}

export async function benchCaptureNode(): Promise<BenchRow[]> {
  const single = await run(1);
  const batched = await run(50);
  if (sharedSerialPool().size !== 0) throw new Error('bench: a serial port was left open');
  const note = 'lines fed into the board line path, 50 per loop turn (a pty at 115200 baud carries ~400 lines/s); ' +
    `target >= 50000 samples/s, p99 lag < 10 ms; machine load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`;
  return [
    { name: 'capture node, one message per sample', value: Math.round(single.perSecond), unit: 'samples/s', note },
    { name: 'capture node, one message per sample: event-loop delay p99', value: Math.round(single.p99Ms * 100) / 100, unit: 'ms' },
    { name: 'capture node, batches of 50', value: Math.round(batched.perSecond), unit: 'samples/s', note },
    { name: 'capture node, batches of 50: event-loop delay p99', value: Math.round(batched.p99Ms * 100) / 100, unit: 'ms' },
  ];
}

if (require.main === module) {
  benchCaptureNode().then((rows) => {
    for (const r of rows) console.log(`${r.name}: ${r.value} ${r.unit}${r.note ? `  (${r.note})` : ''}`);
    process.exit(0);
  }, (err: unknown) => {
    console.error(err);
    process.exit(2);
  });
}
