/**
 * Writes the small, project-made recordings that the example flows replay (examples/data/), so every example runs on a
 * fresh machine with no hardware and without the real recordings of ../shared/data. The signals are synthetic but shaped
 * like the real ones (the same axes, rates and units), deterministic for a seed:
 *   - gestures-synthetic.csv: 119 Hz IMU (g, deg/s), 119-sample takes of 'punch', 'flex' and 'wave';
 *   - fan-synthetic.csv: 200 Hz accelerometer (g), one-second takes of a fan at 'normal' and with a coin on a blade ('coin');
 *   - activity-synthetic.csv: 50 Hz accelerometer (g), 2.56 s takes of 'walking', 'sitting' and 'laying'.
 *
 *   npx tsc -p . && node dist/test/support/example-recordings.js [--out DIR]
 */
import fs from 'fs';
import path from 'path';
import { mulberry32 } from '../../src/random/mulberry32';

type Rand = () => number;

/** A standard normal deviate by the Box–Muller transform (Box & Muller, 1958). */
function gauss(rand: Rand): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** A smooth bump centred at c with width w (a Gaussian pulse). */
function bump(t: number, c: number, w: number): number {
  return Math.exp(-0.5 * ((t - c) / w) ** 2);
}

function fixed(v: number, digits: number): string {
  return Number(v.toFixed(digits)).toString();
}

export interface Recording {
  name: string;
  header: string[];
  rows: string[];
}

export function gestureRecording(seed = 1, takesPerGesture = 10): Recording {
  const rand = mulberry32(seed);
  const rows: string[] = [];
  const rate = 119;
  let take = 0;
  for (const gesture of ['punch', 'flex', 'wave']) {
    for (let k = 0; k < takesPerGesture; k++, take++) {
      const amp = 0.8 + 0.4 * rand();
      const shift = (rand() - 0.5) * 0.1;
      for (let i = 0; i < 119; i++) {
        const t = i / rate + shift;
        let ax = 0, ay = 0, az = 1, gx = 0, gy = 0, gz = 0;
        if (gesture === 'punch') {
          ax = amp * (3.2 * bump(t, 0.25, 0.05) - 2.4 * bump(t, 0.45, 0.06));
          gy = amp * 40 * bump(t, 0.3, 0.08);
        } else if (gesture === 'flex') {
          ay = amp * 1.6 * Math.sin(Math.PI * Math.min(Math.max(t / 0.9, 0), 1));
          az = 1 - amp * 0.8 * bump(t, 0.45, 0.2);
          gx = amp * 180 * (bump(t, 0.25, 0.1) - bump(t, 0.7, 0.1));
        } else {
          ax = amp * 0.9 * Math.sin(2 * Math.PI * 3 * t);
          gz = amp * 220 * Math.sin(2 * Math.PI * 3 * t + 0.6);
        }
        const v = [ax + 0.04 * gauss(rand), ay + 0.04 * gauss(rand), az + 0.04 * gauss(rand),
          gx + 3 * gauss(rand), gy + 3 * gauss(rand), gz + 3 * gauss(rand)];
        rows.push([take, gesture, i, ...v.map((x, j) => fixed(x, j < 3 ? 3 : 2))].join(','));
      }
    }
  }
  return { name: 'gestures-synthetic.csv', header: ['take', 'gesture', 't_idx', 'aX_g', 'aY_g', 'aZ_g', 'gX_dps', 'gY_dps', 'gZ_dps'], rows };
}

export function fanRecording(seed = 2, normalSeconds = 20, coinSeconds = 10): Recording {
  const rand = mulberry32(seed);
  const rows: string[] = [];
  const rate = 200;
  const spin = 4.1; // rotations per second of a ceiling fan on 'med'
  let take = 0;
  for (const [condition, seconds] of [['normal', normalSeconds], ['coin', coinSeconds]] as const) {
    for (let s = 0; s < seconds; s++, take++) {
      const phase = 2 * Math.PI * rand();
      // A coin on one blade adds a once-per-turn imbalance; the blade-pass tone (3 blades) is always there.
      const imbalance = condition === 'coin' ? 0.06 : 0.01;
      for (let i = 0; i < rate; i++) {
        const t = i / rate;
        const w = 2 * Math.PI * spin * t + phase;
        const ax = imbalance * Math.sin(w) + 0.02 * Math.sin(3 * w) + 0.01 * gauss(rand);
        const ay = imbalance * Math.cos(w) + 0.02 * Math.sin(3 * w + 1) + 0.01 * gauss(rand);
        const az = 1 + 0.3 * imbalance * Math.sin(2 * w) + 0.01 * gauss(rand);
        rows.push([take, condition, i, fixed(ax, 4), fixed(ay, 4), fixed(az, 4)].join(','));
      }
    }
  }
  return { name: 'fan-synthetic.csv', header: ['sample_id', 'condition', 't_idx', 'ax_g', 'ay_g', 'az_g'], rows };
}

export function activityRecording(seed = 3, takesPerActivity = 10): Recording {
  const rand = mulberry32(seed);
  const rows: string[] = [];
  const rate = 50;
  let take = 0;
  for (const activity of ['walking', 'sitting', 'laying']) {
    for (let k = 0; k < takesPerActivity; k++, take++) {
      const cadence = 1.7 + 0.4 * rand();
      const tilt = (rand() - 0.5) * 0.2;
      for (let i = 0; i < 128; i++) {
        const t = i / rate;
        let ax = 1, ay = tilt, az = 0.05;
        if (activity === 'walking') {
          ax = 1 + 0.35 * Math.sin(2 * Math.PI * cadence * t) + 0.1 * Math.sin(4 * Math.PI * cadence * t);
          ay = tilt + 0.15 * Math.sin(2 * Math.PI * cadence * t / 2);
        } else if (activity === 'sitting') {
          ax = 0.85; az = 0.5;
        } else {
          ax = 0.05; az = 1;
        }
        const v = [ax + 0.02 * gauss(rand), ay + 0.02 * gauss(rand), az + 0.02 * gauss(rand)];
        rows.push([take, activity, i, ...v.map((x) => fixed(x, 3))].join(','));
      }
    }
  }
  return { name: 'activity-synthetic.csv', header: ['exp_id', 'activity', 't_idx', 'acc_x_g', 'acc_y_g', 'acc_z_g'], rows };
}

export function writeExampleRecordings(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return [gestureRecording(), fanRecording(), activityRecording()].map((r) => {
    const file = path.join(dir, r.name);
    fs.writeFileSync(file, `${r.header.join(',')}\n${r.rows.join('\n')}\n`);
    return file;
  });
}

if (require.main === module) {
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex > 0 ? process.argv[outIndex + 1] : path.resolve(__dirname, '..', '..', '..', 'examples', 'data');
  for (const file of writeExampleRecordings(out)) process.stdout.write(`${file}: ${fs.statSync(file).size} bytes\n`);
}
