/**
 * The capture node in a real Node-RED runtime (the test helper's), measured two ways, each beside
 * a baseline measured in the same run: a bare pass-through node on the same board that sends one
 * `{ payload: line }` message per line (Node-RED's own cost per message, no parsing).
 *
 * 1. Maximum throughput: lines pushed into the board's line path (BoardNode.feedLine, what the
 *    serial pool delivers to), 50 per event-loop turn, as fast as the node takes them. The loop is
 *    saturated on purpose, so its lag here says nothing: it is not reported.
 * 2. The issue's target, "≥ 50,000 samples/s with p99 lag < 10 ms": a sustained stream paced at
 *    50,000 six-axis lines/s written into a real pseudo-terminal (socat pair) in chunks every 2 ms,
 *    as a serial port delivers them, read by the board through serialport, the line splitter and
 *    the pool. Reported: the event-loop delay p99 while the node keeps up, and the share of the
 *    lines written that came out as samples.
 */
import fs from 'fs';
import os from 'os';
import { monitorEventLoopDelay } from 'perf_hooks';
import boardModule from '../nodes/tinyml-board';
import captureModule from '../nodes/tinyml-capture';
import type { BoardNode } from '../nodes/board-api';
import type { Node, NodeAPI, NodeDef } from '../nodes/red-types';
import { sharedSerialPool } from '../src/serial/serial-pool';
import { HelperNode, initHelper, removeHelperSpies } from '../test/support/node-helper';
import { makeTempDir, removeTempDir, socatPair, waitFor } from '../test/support/pty';
import { BenchRow } from './bench-row';

/** Samples per maximum-throughput run. */
const MAX_SAMPLES = 200_000;
/** Lines fed per event-loop turn in the maximum-throughput run. */
const CHUNK = 50;
/** The issue's target rate, and how long it is sustained. */
const PACED_RATE = 50_000;
const PACED_SECONDS = 4;
/** Write period of the paced stream (a USB serial adapter delivers every 1-16 ms). */
const PACE_MS = 2;
const TARGET_LAG_MS = 10;

type Subject = { kind: 'capture'; batch: number } | { kind: 'pass-through' };

/** Baseline: one message per line, nothing parsed (what any node on the board costs at least). */
function passThroughModule(RED: NodeAPI): void {
  function BenchPassThrough(this: Node, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    const board = RED.nodes.getNode(String(def.board)) as BoardNode;
    const unsubscribe = board.subscribe({ onLine: (line, t) => this.send({ payload: line, time: t }) });
    this.on('close', (_removed, done) => { unsubscribe(); done(); });
  }
  RED.nodes.registerType('bench-pass-through', BenchPassThrough);
}

/** Six-axis lines like an IMU sketch prints (the parser benchmark's shape). */
function sampleLines(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 1000; i++) {
    lines.push(`${((i % 97) / 10 - 4).toFixed(3)},${(-(i % 13) / 7).toFixed(3)},${(i % 5) - 2.5},${(0.25 * (i % 31)).toFixed(2)},-1.50,${((i * 7) % 500) - 250}`);
  }
  return lines;
}

interface Rig {
  board: BoardNode;
  /** Samples out of the node under test so far. */
  received(): number;
  /** Writes to the other end of the board's pty. */
  write(data: string): void;
  close(): Promise<void>;
}

async function rig(subject: Subject): Promise<Rig> {
  const helper = initHelper();
  const dir = makeTempDir('tinyml-bench-');
  const pair = await socatPair(dir, 'uno');
  const writer = fs.createWriteStream(pair.a);
  helper.settings({ userDir: dir });
  await new Promise<void>((resolve, reject) => helper.startServer((err) => (err ? reject(err) : resolve())));
  const node: NodeDef = subject.kind === 'capture'
    ? { id: 'n1', type: 'tinyml-capture', board: 'b1', batch: subject.batch, timestamp: 'none', axes: '', wires: [['out']] }
    : { id: 'n1', type: 'bench-pass-through', board: 'b1', wires: [['out']] };
  await helper.load([boardModule, captureModule, passThroughModule], [
    { id: 'b1', type: 'tinyml-board', name: 'bench', path: pair.b, baud: 115200, boardType: 'uno' },
    node,
    { id: 'out', type: 'helper' },
  ]);
  // The helper wraps Node.prototype.send/status in sinon spies that record every call: that is
  // the test harness's cost, not Node-RED's, so it is removed for the measurement.
  removeHelperSpies(['b1', 'n1', 'out']);
  const board = helper.getNode('b1') as unknown as BoardNode;
  await waitFor(() => board.portStatus.state === 'connected', 5000, 'board connected');
  let received = 0;
  const batched = subject.kind === 'capture' && subject.batch > 1;
  (helper.getNode('out') as HelperNode).on('input', ((msg: { payload: unknown[] }) => {
    received += batched ? msg.payload.length : 1;
  }) as (arg: never) => void);
  return {
    board,
    received: () => received,
    write: (data) => { writer.write(data); },
    close: async () => {
      await new Promise<void>((resolve) => writer.end(() => resolve()));
      await helper.unload();
      await new Promise<void>((resolve) => helper.stopServer(() => resolve()));
      await pair.close();
      removeTempDir(dir);
    },
  };
}

/** Lines fed straight into the board's line path as fast as the node takes them. */
async function maxThroughput(subject: Subject): Promise<number> {
  const r = await rig(subject);
  try {
    const lines = sampleLines();
    // A first stretch lets the stream settle (sync after open, axes) and the JIT warm up.
    const start = performance.timeOrigin + performance.now();
    for (let i = 0; i < 2000; i++) r.board.feedLine(lines[i % 1000], start + i * 0.02);
    await waitFor(() => r.received() >= 1900, 10000, 'warm-up samples');
    const before = r.received();
    const t0 = performance.now();
    let fed = 0;
    await new Promise<void>((resolve) => {
      const feed = (): void => {
        const now = performance.timeOrigin + performance.now();
        for (let k = 0; k < CHUNK && fed < MAX_SAMPLES; k++, fed++) r.board.feedLine(lines[fed % 1000], now);
        if (fed < MAX_SAMPLES) setImmediate(feed);
        else resolve();
      };
      feed();
    });
    await waitFor(() => r.received() - before >= MAX_SAMPLES - 100, 60000, 'all samples delivered');
    return (r.received() - before) / ((performance.now() - t0) / 1000);
  } finally {
    await r.close();
  }
}

interface Paced {
  lagP99Ms: number;
  lagMaxMs: number;
  deliveredPct: number;
}

/** A stream paced at PACED_RATE lines/s through the pty; event-loop delay measured meanwhile. */
async function paced(subject: Subject): Promise<Paced> {
  const r = await rig(subject);
  try {
    const lines = sampleLines();
    const text = (from: number, to: number): string => {
      let s = '';
      for (let i = from; i < to; i++) s += `${lines[i % 1000]}\r\n`;
      return s;
    };
    // Warm-up through the same path, then the measured stretch.
    r.write(text(0, 2000));
    await waitFor(() => r.received() >= 1900, 10000, 'warm-up samples through the pty');
    // Past the age at which the node sends a partial batch: the warm-up is all counted before.
    await new Promise((res) => setTimeout(res, 2000));
    const before = r.received();
    const total = PACED_RATE * PACED_SECONDS;
    const lag = monitorEventLoopDelay({ resolution: 1 });
    lag.enable();
    const t0 = performance.now();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * PACED_RATE));
        if (due > sent) {
          r.write(text(sent, due));
          sent = due;
        }
        if (sent >= total) {
          clearInterval(timer);
          resolve();
        }
      }, PACE_MS);
    });
    lag.disable();
    // The last chunk and a partial batch (sent after at most 1 s) arrive after the paced stretch.
    await waitFor(() => r.received() - before >= total, 3000, 'the paced samples').catch(() => undefined);
    return { lagP99Ms: lag.percentile(99) / 1e6, lagMaxMs: lag.max / 1e6, deliveredPct: (100 * (r.received() - before)) / total };
  } finally {
    await r.close();
  }
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

export async function benchCaptureNode(): Promise<BenchRow[]> {
  // Alternated and best of two: on a shared machine, and with the heap of earlier runs around,
  // a single run mostly measures what else happened at the time.
  let baseMax = 0;
  let singleMax = 0;
  let batchMax = 0;
  for (let i = 0; i < 2; i++) {
    baseMax = Math.max(baseMax, await maxThroughput({ kind: 'pass-through' }));
    singleMax = Math.max(singleMax, await maxThroughput({ kind: 'capture', batch: 1 }));
    batchMax = Math.max(batchMax, await maxThroughput({ kind: 'capture', batch: 50 }));
  }
  const basePaced = await paced({ kind: 'pass-through' });
  const singlePaced = await paced({ kind: 'capture', batch: 1 });
  const batchPaced = await paced({ kind: 'capture', batch: 50 });
  if (sharedSerialPool().size !== 0) throw new Error('bench: a serial port was left open');
  const load = `load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores (shared)`;
  const maxNote = `lines fed into the board's line path, ${CHUNK} per loop turn, loop saturated on purpose, best of 2 alternated runs; baseline: a bare node sending one message per line; ${load}`;
  const pacedNote = (p: Paced, b: Paced): string =>
    `${PACED_RATE} six-axis lines/s for ${PACED_SECONDS} s written to a real pty (socat) every ${PACE_MS} ms, read through serialport; ` +
    `max delay ${round2(p.lagMaxMs)} ms; baseline: the bare pass-through node (max ${round2(b.lagMaxMs)} ms); ${load}`;
  return [
    { name: 'capture node, max throughput, one message per sample', value: Math.round(singleMax), unit: 'samples/s', baseline: Math.round(baseMax), target: { atLeast: PACED_RATE }, note: maxNote },
    { name: 'capture node, max throughput, batches of 50', value: Math.round(batchMax), unit: 'samples/s', baseline: Math.round(baseMax), target: { atLeast: PACED_RATE } },
    { name: `capture node at ${PACED_RATE} samples/s, one message per sample: event-loop delay p99`, value: round2(singlePaced.lagP99Ms), unit: 'ms', baseline: round2(basePaced.lagP99Ms), target: { below: TARGET_LAG_MS }, note: pacedNote(singlePaced, basePaced) },
    { name: `capture node at ${PACED_RATE} samples/s, one message per sample: samples delivered`, value: round2(singlePaced.deliveredPct), unit: '%', baseline: round2(basePaced.deliveredPct), target: { atLeast: 99.9 } },
    { name: `capture node at ${PACED_RATE} samples/s, batches of 50: event-loop delay p99`, value: round2(batchPaced.lagP99Ms), unit: 'ms', baseline: round2(basePaced.lagP99Ms), target: { below: TARGET_LAG_MS }, note: pacedNote(batchPaced, basePaced) },
    { name: `capture node at ${PACED_RATE} samples/s, batches of 50: samples delivered`, value: round2(batchPaced.deliveredPct), unit: '%', target: { atLeast: 99.9 } },
  ];
}

if (require.main === module) {
  benchCaptureNode().then((rows) => {
    for (const r of rows) {
      const base = r.baseline !== undefined ? ` (baseline ${r.baseline})` : '';
      const target = r.target ? ` target ${r.target.atLeast !== undefined ? `>= ${r.target.atLeast}` : `< ${r.target.below}`}` : '';
      console.log(`${r.name}: ${r.value} ${r.unit}${base}${target}`);
    }
    process.exit(0);
  }, (err: unknown) => {
    console.error(err);
    process.exit(2);
  });
}
