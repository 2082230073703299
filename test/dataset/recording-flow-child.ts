/**
 * Child process for the restart test: a Node-RED runtime (node-red-node-test-helper's) with a
 * tinyml-dataset node receiving a window every 2 ms. Prints `ready <records>` once running,
 * `recv <k>` for each window handed to the node and `ack <id> <k>` when the node passes it on
 * (it is on disk then). SIGTERM stops the flows as Node-RED does on shutdown, then exits.
 * Usage: node recording-flow-child.js USER_DIR FIRST_K
 */
import datasetModule from '../../nodes/tinyml-dataset';
import { helper, HelperNode, startServer } from '../support/node-helper';

/** The window the child sends for k; the test recomputes it to check what is on disk. */
export function windowOf(k: number): { payload: number[][]; axes: string[]; rate: number; time: number; label: string } {
  return { payload: [[k, 0.5], [k, 1.5], [k + 1, 2 - (k % 5)]], axes: ['x', 'y'], rate: 100, time: k, label: `L${k % 3}` };
}

async function run(): Promise<void> {
  const userDir = process.argv[2];
  let k = Number(process.argv[3]);
  await startServer({ userDir });
  await helper.load(datasetModule, [
    { id: 'd1', type: 'tinyml-dataset', dataset: 'rec', group: 'g', wires: [['out']] },
    { id: 'out', type: 'helper' },
  ]);
  const d1 = helper.getNode('d1') as HelperNode;
  (helper.getNode('out') as HelperNode).on('input', ((msg: { record: { id: number }; payload: number[][] }) => {
    process.stdout.write(`ack ${msg.record.id} ${msg.payload[0][0]}\n`);
  }) as (arg: never) => void);
  d1.on('call:error', ((call: { args: unknown[] }) => process.stderr.write(`node error: ${String(call.args[0])}\n`)) as (arg: never) => void);
  process.stdout.write('ready\n');
  const timer = setInterval(() => {
    process.stdout.write(`recv ${k}\n`);
    d1.receive(windowOf(k++));
  }, 2);
  process.once('SIGTERM', () => {
    clearInterval(timer);
    helper.unload().then(() => {
      process.stdout.write('stopped\n');
      process.exit(0);
    }, (e: Error) => {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    });
  });
}

if (require.main === module) {
  run().catch((e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  });
}
