/**
 * "Nothing recorded is lost": a dataset node keeps every window it received across redeploys
 * (in-process, Node-RED runtime), a graceful restart and a SIGKILL of the Node-RED process
 * (a child process running the runtime), and the flow records on after each.
 */
import assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import datasetModule from '../../nodes/tinyml-dataset';
import type { NodeDef } from '../../nodes/red-types';
import { DatasetStore } from '../../src/dataset/store';
import { helper, HelperNode, startServer, stopServer } from '../support/node-helper';
import { waitFor } from '../support/pty';
import { windowOf } from './recording-flow-child';

interface Child {
  proc: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

function startChild(userDir: string, firstK: number): Child {
  const proc = spawn(process.execPath, [path.join(__dirname, 'recording-flow-child.js'), userDir, String(firstK)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, out: () => out, err: () => err, exited };
}

const acks = (out: string): Array<{ id: number; k: number }> => [...out.matchAll(/^ack (\d+) (-?\d+)$/gm)].map((m) => ({ id: Number(m[1]), k: Number(m[2]) }));
const received = (out: string): number[] => [...out.matchAll(/^recv (\d+)$/gm)].map((m) => Number(m[1]));

/** Every record is the window of its k; ks run without a hole; returns the ks in file order. */
async function checkOnDisk(base: string): Promise<number[]> {
  const s = await DatasetStore.open(base, 'rec');
  try {
    const recs = await s.readAll();
    assert.deepStrictEqual(recs.map((r) => r.id), recs.map((_, i) => i + 1), 'ids are gap-free');
    for (const r of recs) {
      const w = windowOf(r.data[0][0]);
      assert.deepStrictEqual(r.data, w.payload, `record ${r.id} content`);
      assert.strictEqual(r.label, w.label);
    }
    return recs.map((r) => r.data[0][0]);
  } finally {
    await s.close();
  }
}

describe('dataset node: nothing recorded is lost on redeploy, restart or a killed process', function () {
  this.timeout(60000);
  let userDir = '';
  let base = '';
  beforeEach(() => {
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-dsrestart-'));
    base = path.join(userDir, 'tinyml', 'datasets');
  });
  afterEach(() => fs.rmSync(userDir, { recursive: true, force: true }));

  it('5 full redeploys, each right after a burst of 40 windows: every window received is on disk, in order', async () => {
    await startServer({ userDir });
    try {
      const flow = (label: string): NodeDef[] => [
        { id: 'd1', type: 'tinyml-dataset', dataset: 'rec', group: 'g', label, wires: [[]] },
      ];
      await helper.load(datasetModule, flow('a'));
      let k = 0;
      for (let round = 0; round < 5; round++) {
        const d = helper.getNode('d1') as HelperNode;
        for (let i = 0; i < 40; i++) d.receive(windowOf(k++));
        // Redeploy at once: most of the burst is still waiting for its fdatasync.
        await helper.setFlows(flow(`r${round}`), 'full');
      }
      const d = helper.getNode('d1') as HelperNode;
      d.receive(windowOf(k++));
      await waitFor(() => fs.existsSync(path.join(base, 'rec')) && fs.readFileSync(path.join(base, 'rec', 'records.jsonl'), 'utf8').split('\n').length > k, 5000, 'the window after the last redeploy');
      await helper.unload();
      assert.deepStrictEqual(await checkOnDisk(base), Array.from({ length: k }, (_, i) => i));
    } finally {
      await stopServer();
    }
  });

  it('graceful restart then SIGKILL of the Node-RED process while recording: the records before stay, acknowledged ones are all there', async () => {
    // Run 1: recording, then SIGTERM (Node-RED stops its flows and exits).
    const a = startChild(userDir, 0);
    await waitFor(() => acks(a.out()).length >= 40, 20000, 'run 1 recording');
    a.proc.kill('SIGTERM');
    assert.strictEqual(await a.exited, 0, a.err());
    assert.strictEqual(a.err(), '', 'no node error while stopping');
    assert.match(a.out(), /stopped\n$/);
    const afterStop = await checkOnDisk(base);
    const recvA = received(a.out());
    // Every acknowledged window is on disk, and so is every window the node had received (no holes).
    assert.ok(afterStop.length >= acks(a.out()).length);
    assert.deepStrictEqual(afterStop, recvA.slice(0, afterStop.length));
    assert.ok(afterStop.length >= recvA.length - 1, `${recvA.length} windows handed over, ${afterStop.length} on disk`);

    // Run 2: the restarted flow appends after them; then a SIGKILL mid-recording.
    const b = startChild(userDir, 100000);
    await waitFor(() => acks(b.out()).length >= 40, 20000, 'run 2 recording');
    b.proc.kill('SIGKILL');
    await b.exited;
    assert.strictEqual(b.err(), '');
    const acksB = acks(b.out());
    assert.strictEqual(acksB[0].id, afterStop.length + 1, 'the restarted node continues the ids');
    const final = await checkOnDisk(base);
    assert.deepStrictEqual(final.slice(0, afterStop.length), afterStop, 'run 1 records untouched');
    const ksB = final.slice(afterStop.length);
    assert.deepStrictEqual(ksB.slice(0, acksB.length), acksB.map((x) => x.k), 'every acknowledged window of run 2 is there');
    assert.deepStrictEqual(ksB, Array.from({ length: ksB.length }, (_, i) => 100000 + i), 'run 2 has no hole');
  });
});
