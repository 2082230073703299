/**
 * `tinyml deploy MODEL --board NAME --port PATH [--json] [--hil] [--stride N] [--sensor S]
 *  [--user-dir DIR] [--keep-build] [--verify-ms N]`
 *
 * Generates the inference sketch, compiles it (arduino-cli when installed with the board's core,
 * else Debian's AVR toolchain), refuses a sketch that does not fit, uploads it and waits for the
 * board to answer with the model's hash. Progress on stderr; the report (or --json) on stdout.
 * Builds happen in <user dir>/tinyml/build (default user dir ~/.node-red, like Node-RED's).
 */
import os from 'os';
import path from 'path';
import { UsageError } from '../main';
import { loadModel } from './eval';
import { SketchSensor } from '../../codegen/sketch';
import { deployModel, DeployError } from '../../deploy/deploy';
import { DirectPortLink } from '../../deploy/device-link';
import { boardFor, checkPort, DeployInputError } from '../../deploy/validate';

const USAGE = 'usage: tinyml deploy MODEL --board NAME --port PATH [--json] [--hil] [--stride N] [--sensor synthetic|A0,A1,...|lsm9ds1|bmi270[+gyro]] [--user-dir DIR] [--keep-build] [--verify-ms N]';
const VALUED = ['--board', '--port', '--stride', '--sensor', '--user-dir', '--verify-ms'];

export function parseSensor(text: string): SketchSensor {
  if (text === 'synthetic') return 'synthetic';
  const imu = /^(lsm9ds1|bmi270)(\+gyro)?$/.exec(text);
  if (imu) return { imu: imu[1] as 'lsm9ds1' | 'bmi270', gyro: imu[2] !== undefined };
  const pins = text.split(',').map((p) => p.trim().toUpperCase());
  if (pins.length > 0 && pins.every((p) => /^A[0-7]$/.test(p))) return { analogPins: pins };
  throw new UsageError(`deploy: --sensor takes synthetic, analog pins like A0,A1, lsm9ds1 or bmi270 (+gyro), not '${text.slice(0, 40)}'`);
}

export async function deployCommand(args: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream = process.stderr): Promise<void> {
  const values = new Map<string, string>();
  const positional: string[] = [];
  let json = false;
  let hil = false;
  let keep = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (VALUED.includes(a)) {
      const v = args[++i];
      if (v === undefined || v === '') throw new UsageError(`deploy: ${a} needs a value; ${USAGE}`);
      values.set(a, v);
    } else if (a === '--json') json = true;
    else if (a === '--hil') hil = true;
    else if (a === '--keep-build') keep = true;
    else if (a.startsWith('-')) throw new UsageError(`deploy: unknown option ${a}; ${USAGE}`);
    else positional.push(a);
  }
  if (positional.length !== 1) throw new UsageError(USAGE);
  if (!values.has('--board') || !values.has('--port')) throw new UsageError(`deploy: --board and --port are required; ${USAGE}`);
  let board;
  let port;
  try {
    board = boardFor(values.get('--board'));
    port = checkPort(values.get('--port'));
  } catch (e) {
    if (e instanceof DeployInputError) throw new UsageError(`deploy: ${e.message}`);
    throw e;
  }
  const stride = values.has('--stride') ? Number(values.get('--stride')) : undefined;
  if (stride !== undefined && !(Number.isInteger(stride) && stride > 0)) throw new UsageError(`deploy: --stride must be a positive whole number of samples, got '${values.get('--stride')}'`);
  const verifyMs = values.has('--verify-ms') ? Number(values.get('--verify-ms')) : undefined;
  if (verifyMs !== undefined && !(verifyMs > 0)) throw new UsageError(`deploy: --verify-ms must be a positive number, got '${values.get('--verify-ms')}'`);
  const sensor = values.has('--sensor') ? parseSensor(values.get('--sensor')!) : undefined;
  const userDir = path.resolve(values.get('--user-dir') ?? process.env.TINYML_USER_DIR ?? path.join(os.homedir(), '.node-red'));
  const artifact = loadModel(positional[0]);
  const link = new DirectPortLink(port);
  try {
    const report = await deployModel(artifact, {
      board: board.id, link, workRoot: path.join(userDir, 'tinyml', 'build'), mode: hil ? 'hil' : 'sensor', sensor, strideSamples: stride, keepBuild: keep,
      timeouts: { verify: verifyMs },
      onProgress: (p) => err.write(`${p.stage}: ${p.message}\n`),
    });
    for (const w of report.warnings) err.write(`warning: ${w}\n`);
    if (json) {
      out.write(JSON.stringify({ ok: true, ...report }) + '\n');
    } else {
      out.write(`deployed ${report.model} (${report.hash.slice(0, 12)}) to ${report.board} on ${port} with ${report.driver}: flash ${report.sizes.flash}/${report.limits.flash} B, RAM ${report.sizes.ram}/${report.limits.ram} B; the board answered with the model's hash\n`);
    }
  } catch (e) {
    if (e instanceof DeployError) {
      if (json) out.write(JSON.stringify({ ok: false, stage: e.stage, error: e.message, ...(e.sizes ?? {}) }) + '\n');
      throw new UsageError(`deploy failed at ${e.stage}: ${e.message}`);
    }
    throw e;
  } finally {
    await link.close();
  }
}
