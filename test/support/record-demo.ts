/**
 * Records the demo data set that ships with the pack (examples/data/capture-demo.csv): the
 * synthetic capture sketch on the emulated Uno, read through the pty like any host, written as
 * long-format CSV `t_ms,ax,ay,az` (t_ms = sample index / announced rate: the chip's own clock).
 *
 *   npx tsc -p . && node dist/test/support/record-demo.js [--seconds 20] [--out FILE]
 */
import fs from 'fs';
import path from 'path';
import { parseAnnouncement } from '../../src/serial/announcement';
import { packageRoot } from '../../src/toolchain/build-paths';
import { buildCaptureFirmware } from '../../src/virtual/capture-firmware';
import { EmulatedUno } from '../../src/virtual/emulated-uno';
import { openHost, sleep } from './emulator';

export interface RecordDemoOptions {
  seconds: number;
  out: string;
  rateHz?: number;
}

export async function recordDemo(opts: RecordDemoOptions): Promise<{ rows: number; hostRateHz: number; bytes: number }> {
  const fw = await buildCaptureFirmware({ rateHz: opts.rateHz ?? 100 });
  const uno = new EmulatedUno({ firmware: fw.elfPath });
  const port = await uno.start();
  try {
    const host = await openHost(port);
    try {
      const first = await host.waitFor((l) => l.startsWith('#'), 5000);
      const a = parseAnnouncement(first.line);
      if (!a || !a.rate) throw new Error(`the emulated Uno did not announce a rate: '${first.line}'`);
      const rate = a.rate;
      const want = Math.round(opts.seconds * rate);
      while (host.lines.length < want + 1) await sleep(100);
      const data = host.lines.slice(1, want + 1);
      const bad = data.find((l) => l.line.split(',').length !== a.axes.length);
      if (bad) throw new Error(`unexpected line from the emulated Uno: '${bad.line}'`);
      const rows = data.map((l, i) => `${Math.round((i * 1000) / rate)},${l.line}`);
      const text = `t_ms,${a.axes.join(',')}\n${rows.join('\n')}\n`;
      fs.mkdirSync(path.dirname(opts.out), { recursive: true });
      fs.writeFileSync(opts.out, text);
      const hostRateHz = ((data.length - 1) * 1000) / (data[data.length - 1].atMs - data[0].atMs);
      return { rows: rows.length, hostRateHz, bytes: Buffer.byteLength(text) };
    } finally {
      await host.close();
    }
  } finally {
    await uno.stop();
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const arg = (name: string): string | undefined => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const seconds = Number(arg('--seconds') ?? 20);
  const out = path.resolve(arg('--out') ?? path.join(packageRoot(), 'examples', 'data', 'capture-demo.csv'));
  recordDemo({ seconds, out }).then(
    (r) => {
      process.stderr.write(`wrote ${out}: ${r.rows} samples, ${r.bytes} bytes; host-measured rate ${r.hostRateHz.toFixed(3)} Hz\n`);
    },
    (err: unknown) => {
      process.stderr.write(`record-demo: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
