import assert from 'assert';
import path from 'path';
import boardModule from '../../nodes/tinyml-board';
import captureModule from '../../nodes/tinyml-capture';
import type { NodeDef, NodeStatus } from '../../nodes/red-types';
import { sharedSerialPool } from '../../src/serial/serial-pool';
import { CaptureMsg } from '../../src/stream/sample';
import { PtyBridge } from '../../src/virtual/pty-bridge';
import { HelperNode } from '../support/node-helper';
import { calls, collect, useNodeRuntime, waitFor } from '../support/node-test-runtime';
import { makeDevice, openPtyFds } from '../support/pty';

const ANNOUNCE = '# tinyml proto=1 board=uno rate=100 axes=ax,ay,az units=g,g,g sensor=test';

/** A device that announces itself on every open and then prints a sample every 10 ms. */
function streamingDevice(dev: PtyBridge): { stop(): void; opens: () => number } {
  let n = 0;
  let opens = 0;
  let timer: NodeJS.Timeout | null = null;
  const onOpen = (): void => {
    opens++;
    dev.write(`\n${ANNOUNCE}\n`);
  };
  dev.on('open', onOpen);
  timer = setInterval(() => {
    if (dev.isOpen) { n++; dev.write(`${n},${-n},1\n`); }
  }, 10);
  return { stop: () => { if (timer) clearInterval(timer); timer = null; dev.off('open', onOpen); }, opens: () => opens };
}

function flow(devPath: string, extra: NodeDef[] = []): NodeDef[] {
  return [
    { id: 'b1', type: 'tinyml-board', name: 'bench', path: devPath, baud: 115200, boardType: 'uno' },
    { id: 'c1', type: 'tinyml-capture', name: '', board: 'b1', batch: 1, timestamp: 'auto', axes: '', wires: [['out']] },
    { id: 'out', type: 'helper' },
    ...extra,
  ];
}

const statuses = (node: HelperNode): NodeStatus[] => calls<NodeStatus>(node, 'status');

describe('tinyml-board + tinyml-capture over a real pty (Node-RED runtime)', function () {
  const devices: PtyBridge[] = [];
  const runtime = useNodeRuntime({
    prefix: 'tinyml-boardserial-',
    afterStop: async () => { for (const d of devices.splice(0)) await d.stop(); },
  });
  const { helper } = runtime;

  async function device(link: string): Promise<PtyBridge> {
    const d = await makeDevice(link);
    devices.push(d);
    return d;
  }

  it('connects, reads samples with the announced axes, topic = board name, status shows rate and axes', async function () {
    const link = path.join(runtime.userDir, 'uno');
    const dev = await device(link);
    const feeder = streamingDevice(dev);
    try {
      await helper.load([boardModule, captureModule], flow(link));
      const capture = helper.getNode('c1') as HelperNode;
      const st = statuses(capture);
      const msgs = collect<CaptureMsg>('out');
      await waitFor(() => msgs.length >= 120, 10000, '120 samples');
      const m = msgs[msgs.length - 1];
      assert.deepStrictEqual(m.axes, ['ax', 'ay', 'az']);
      assert.strictEqual(m.topic, 'bench');
      assert.ok(Array.isArray(m.payload) && m.payload.length === 3);
      const v = m.payload as number[];
      assert.strictEqual(v[1], -v[0]);
      assert.strictEqual(m.seq, msgs[msgs.length - 2].seq + 1);
      await waitFor(() => st.some((s) => /Hz · 3 axes$/.test(s.text ?? '')), 3000, 'rate status');
      const rateStatus = st.filter((s) => /Hz/.test(s.text ?? '')).pop() as NodeStatus;
      const hz = Number(/^([\d.]+) Hz/.exec(rateStatus.text ?? '')?.[1]);
      assert.ok(hz > 60 && hz < 110, `status ${rateStatus.text}`);
      assert.strictEqual(rateStatus.fill, 'green');
    } finally {
      feeder.stop();
    }
  });

  it('a device that does not announce: the lines held to detect its ms timestamp column come out first, seq from 0', async function () {
    const link = path.join(runtime.userDir, 'uno');
    const dev = await device(link);
    // n-th line after the open: device time 1000 + 10n ms, values n % 5 and n % 3 - 1 (not
    // increasing, or column 0 would not be taken for a clock); the lone newline is the possibly
    // cut first line the splitter drops on open.
    let n = 0;
    const onOpen = (): void => { n = 0; dev.write('\n'); };
    dev.on('open', onOpen);
    const timer = setInterval(() => { if (dev.isOpen) { n++; dev.write(`${1000 + n * 10},${n % 5},${(n % 3) - 1}\n`); } }, 10);
    try {
      await helper.load([boardModule, captureModule], flow(link));
      const msgs = collect<CaptureMsg>('out');
      await waitFor(() => msgs.length >= 20, 10000, '20 samples');
      // Line 1 is the resynchronisation candidate (ignored); lines 2.. are held, then emitted.
      assert.deepStrictEqual(msgs.slice(0, 20).map((m) => [m.seq, m.time, ...(m.payload as number[])]), [...Array(20).keys()].map((i) => [i, 1000 + (i + 2) * 10, (i + 2) % 5, ((i + 2) % 3) - 1]));
      assert.deepStrictEqual(msgs[0].axes, ['a0', 'a1']);
      assert.ok(msgs.slice(0, 20).every((m) => m.segment === 0 && m.gap === undefined && m.reset === undefined));
    } finally {
      clearInterval(timer);
      dev.off('open', onOpen);
    }
  });

  it('unplug (the device and its link disappear) shows waiting; replug at the same path resumes', async function () {
    const link = path.join(runtime.userDir, 'uno');
    let dev = await device(link);
    let feeder = streamingDevice(dev);
    await helper.load([boardModule, captureModule], flow(link));
    const st = statuses(helper.getNode('c1') as HelperNode);
    const msgs = collect<CaptureMsg>('out');
    await waitFor(() => msgs.length >= 10, 5000, 'samples before unplug');
    feeder.stop();
    await dev.stop();
    await waitFor(() => st.some((s) => s.text === 'waiting for port'), 5000, 'waiting status');
    const before = msgs.length;
    dev = await device(link);
    feeder = streamingDevice(dev);
    try {
      await waitFor(() => msgs.length >= before + 10, 8000, 'samples after replug');
      const resumed = msgs.slice(before);
      assert.strictEqual(resumed[0].reset, true, 'first sample after replug is marked reset');
      assert.ok(resumed[0].segment > msgs[before - 1].segment);
      assert.ok(resumed[0].seq > msgs[before - 1].seq, 'seq is never reused');
    } finally {
      feeder.stop();
    }
  });

  it('50 redeploys in a row: the port reopens every time; no leaked pool entries, ptys or listeners', async function () {
    this.timeout(120000);
    const link = path.join(runtime.userDir, 'uno');
    const dev = await device(link);
    const feeder = streamingDevice(dev);
    try {
      const ptyBefore = openPtyFds().length;
      const listenersBefore = dev.listenerCount('open');
      let resources = 0;
      for (let i = 0; i < 50; i++) {
        await helper.load([boardModule, captureModule], flow(link));
        const msgs = collect<CaptureMsg>('out');
        await waitFor(() => msgs.length >= 2, 5000, `samples after redeploy ${i}`);
        await helper.unload();
        assert.strictEqual(sharedSerialPool().size, 0, `pool entries after redeploy ${i}`);
        assert.strictEqual(openPtyFds().length, ptyBefore, `pty descriptors after redeploy ${i}`);
        if (i === 5) resources = process.getActiveResourcesInfo().length;
      }
      assert.ok(feeder.opens() >= 50, `device saw ${feeder.opens()} opens`);
      assert.strictEqual(dev.listenerCount('open'), listenersBefore);
      // Timers and handles do not accumulate from one deploy to the next.
      assert.ok(process.getActiveResourcesInfo().length <= resources + 2,
        `active resources ${resources} -> ${process.getActiveResourcesInfo().length}`);
    } finally {
      feeder.stop();
    }
  });

  it('two boards with different baud rates on one path: a clear error naming both', async function () {
    const link = path.join(runtime.userDir, 'uno');
    await device(link);
    const f: NodeDef[] = [
      { id: 'b1', type: 'tinyml-board', name: 'first', path: link, baud: 115200, boardType: 'uno' },
      { id: 'b2', type: 'tinyml-board', name: 'second', path: link, baud: 9600, boardType: 'uno' },
      { id: 'c1', type: 'tinyml-capture', board: 'b1', batch: 1, timestamp: 'auto', axes: '', wires: [[]] },
      { id: 'c2', type: 'tinyml-capture', board: 'b2', batch: 1, timestamp: 'auto', axes: '', wires: [[]] },
    ];
    await helper.load([boardModule, captureModule], f);
    const st2 = statuses(helper.getNode('c2') as HelperNode);
    await waitFor(() => st2.some((s) => s.fill === 'red'), 3000, 'red status on the second');
    const err = st2.find((s) => s.fill === 'red') as NodeStatus;
    assert.match(err.text ?? '', /already open by 'first' at 115200 baud; 'second' asks for 9600 baud/);
    const b1 = helper.getNode('b1') as HelperNode & { portStatus: { state: string } };
    await waitFor(() => b1.portStatus.state === 'connected', 3000, 'first board connected');
  });

  it('a missing port: every node shows "waiting for port", the board logs it once over several retries, then connects when it appears', async function () {
    this.timeout(15000);
    const link = path.join(runtime.userDir, 'later');
    await helper.load([boardModule, captureModule], flow(link));
    const b1 = helper.getNode('b1') as HelperNode;
    const warnings: string[] = [];
    b1.on('call:warn', ((call: { args: unknown[] }) => { warnings.push(String(call.args[0])); }) as (arg: never) => void);
    const st = statuses(helper.getNode('c1') as HelperNode);
    // Retries at 0.25, 0.5, 1 and 2 s (backoff): four attempts in 3 s, one message.
    await new Promise((r) => setTimeout(r, 3000));
    const absent = warnings.filter((w) => /serial port .*later is not present \(unplugged\?\): waiting for it/.test(w));
    assert.strictEqual(absent.length, 1, `logged ${absent.length} times: ${warnings.join(' | ')}`);
    assert.ok(st.some((s) => s.text === 'waiting for port'), `statuses: ${st.map((s) => s.text).join(', ')}`);
    const dev = await device(link);
    const feeder = streamingDevice(dev);
    try {
      const msgs = collect<CaptureMsg>('out');
      await waitFor(() => msgs.length >= 5, 8000, 'samples once the port appears');
      assert.ok(st.some((s) => s.text === 'connecting') || st.some((s) => /Hz|connected/.test(s.text ?? '')), 'connecting/connected shown');
    } finally {
      feeder.stop();
    }
  });

  it('a bad port path is refused with a message naming it', async function () {
    await helper.load([boardModule, captureModule], flow('/dev/../etc/passwd'));
    const b1 = helper.getNode('b1') as HelperNode & { portStatus: { state: string; message?: string } };
    assert.strictEqual(b1.portStatus.state, 'error');
    assert.match(b1.portStatus.message ?? '', /'\.\.'/);
  });

  it('serves the port and board lists to the editor', async function () {
    await helper.load([boardModule, captureModule], flow(path.join(runtime.userDir, 'none')));
    const ports = await helper.request().get('/tinyml/ports').expect(200);
    assert.ok(Array.isArray(ports.body));
    const boards = await helper.request().get('/tinyml/boards').expect(200);
    assert.ok((boards.body as Array<{ id: string }>).some((b) => b.id === 'replay'));
  });
});
