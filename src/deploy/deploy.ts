/**
 * The deploy pipeline, one stage after the other, each with a time limit:
 *   generate  the inference sketch for the model and board (src/codegen/sketch.ts)
 *   compile   with the chosen toolchain driver (arduino-cli, or Debian's AVR toolchain)
 *   size      flash and RAM against the board: a sketch that does not fit is refused, nothing flashed
 *   upload    the port is borrowed from its owner and given back whether the upload worked or not
 *   verify    the board must answer with the model's hash (its announcement or a result line)
 * The build happens in a private folder under the given work root and is removed afterwards.
 */
import fs from 'fs';
import path from 'path';
import { Artifact } from '../model/artifact';
import { stackReserveFor } from '../boards/calibration';
import { generateInferenceSketch, SketchOptions, SketchSensor } from '../codegen/sketch';
import { CompiledSketch, chooseDriver, sizeProblem, SketchSizes, ToolchainDriver } from '../toolchain/driver';
import { ArduinoCliDriver } from '../toolchain/arduino-cli';
import { DebianAvrDriver } from '../toolchain/debian-avr';
import { CompileError } from '../toolchain/compiler-diagnostics';
import { DeviceLink, LineWaiter, PortBorrow } from './device-link';
import { announcedModel, parseDeviceResult } from './device-result';
import { watchPort } from './port-watch';
import { boardFor, checkPort } from './validate';

export const DEPLOY_STAGES = ['generate', 'compile', 'size', 'upload', 'verify'] as const;
export type DeployStage = (typeof DEPLOY_STAGES)[number];

export interface DeployProgress {
  stage: DeployStage;
  state: 'start' | 'done';
  message: string;
}

export interface DeployOptions {
  board: string;
  link: DeviceLink;
  /** Folder under which the private build folder is made (e.g. <userDir>/tinyml/build). */
  workRoot: string;
  mode?: 'sensor' | 'hil';
  sensor?: SketchSensor;
  strideSamples?: number;
  /** Toolchains to try in order; default arduino-cli then Debian's AVR toolchain. */
  drivers?: readonly ToolchainDriver[];
  /** RAM kept free for the stack on top of the globals (default: the board's calibrated stack figure, which the cost model adds too). */
  stackReserve?: number;
  /** Time limits in ms: compile 300 s, borrow (the port's owner letting go) 30 s, upload 60 s, verify 20 s. */
  timeouts?: Partial<Record<'compile' | 'borrow' | 'upload' | 'verify', number>>;
  /** Cancel: stops compiling and waiting at once; an upload in progress is let finish (a half-written board helps nobody). */
  signal?: AbortSignal;
  /** Stop now, even mid-upload: the owner is going away (Node-RED closing the node) and must leave no uploader running. */
  shutdown?: AbortSignal;
  onProgress?: (p: DeployProgress) => void;
  /** Pause between taking the port and starting the uploader (default 250 ms). */
  settleMs?: number;
  /** Keep the build folder (for debugging). */
  keepBuild?: boolean;
}

export interface DeployReport {
  model: string;
  hash: string;
  board: string;
  driver: string;
  mode: 'sensor' | 'hil';
  window: number;
  stride: number;
  sizes: SketchSizes;
  limits: SketchSizes;
  stackReserve: number;
  uploadedBytes?: number;
  /** The line the board answered with. */
  verifiedBy: string;
  stageMs: Partial<Record<DeployStage, number>>;
  warnings: string[];
}

export class DeployError extends Error {
  constructor(readonly stage: DeployStage, message: string, readonly sizes?: { sizes: SketchSizes; limits: SketchSizes; stackReserve: number }) {
    super(message);
    this.name = 'DeployError';
  }
}

export function defaultDrivers(): ToolchainDriver[] {
  return [new ArduinoCliDriver(), new DebianAvrDriver()];
}

function cancelled(signal: AbortSignal | undefined, stage: DeployStage): void {
  if (signal?.aborted) throw new DeployError(stage, `deploy cancelled before ${stage}`);
}

export async function deployModel(artifact: Artifact, opts: DeployOptions): Promise<DeployReport> {
  let board;
  try {
    board = boardFor(opts.board);
  } catch (e) {
    throw new DeployError('generate', (e as Error).message);
  }
  const mode = opts.mode ?? 'sensor';
  const stageMs: DeployReport['stageMs'] = {};
  const warnings: string[] = [];
  const stackReserve = opts.stackReserve ?? stackReserveFor(board.id);
  let current: DeployStage = 'generate';
  let t0 = Date.now();
  const begin = (stage: DeployStage, message: string): void => {
    cancelled(opts.signal, stage);
    current = stage;
    t0 = Date.now();
    opts.onProgress?.({ stage, state: 'start', message });
  };
  const end = (message: string): void => {
    stageMs[current] = Date.now() - t0;
    opts.onProgress?.({ stage: current, state: 'done', message });
  };

  fs.mkdirSync(opts.workRoot, { recursive: true });
  const work = fs.mkdtempSync(path.join(opts.workRoot, 'deploy-'));
  try {
    begin('generate', `generating the sketch for ${board.label}`);
    const sketchOpts: SketchOptions = { board: board.id, mode, sensor: opts.sensor, strideSamples: opts.strideSamples };
    let sketch;
    try {
      sketch = generateInferenceSketch(artifact, work, sketchOpts);
    } catch (e) {
      throw new DeployError('generate', (e as Error).message);
    }
    warnings.push(...sketch.notes);
    end(`sketch ${sketch.files.length} files`);

    begin('compile', 'compiling');
    let driver: ToolchainDriver;
    let compiled: CompiledSketch;
    try {
      driver = await chooseDriver(board, opts.drivers ?? defaultDrivers());
      opts.onProgress?.({ stage: 'compile', state: 'start', message: `compiling with ${driver.id}` });
      compiled = await driver.compile(sketch.dir, board, { outputDir: path.join(work, 'out'), timeoutMs: opts.timeouts?.compile ?? 300_000, signal: opts.signal });
    } catch (e) {
      if (opts.signal?.aborted) throw new DeployError('compile', 'deploy cancelled while compiling');
      const overflow = e instanceof CompileError ? linkerOverflow(e.output, board.flashBytes, board.sramBytes, board.label, artifact.name) : null;
      if (overflow) throw new DeployError('size', overflow.message, { sizes: overflow.sizes, limits: { flash: board.flashBytes, ram: board.sramBytes }, stackReserve });
      // Paths relative to the sketch folder: the build folder is removed when deploy ends.
      throw new DeployError('compile', (e as Error).message.split(`${sketch.dir}${path.sep}`).join(''));
    }
    warnings.push(...compiled.warnings.map((w) => `${path.basename(w.file)}:${w.line}: ${w.message}`));
    end(`flash ${compiled.sizes.flash} B, RAM ${compiled.sizes.ram} B`);

    begin('size', 'checking the size against the board');
    const problem = sizeProblem(compiled.sizes, compiled.limits, stackReserve);
    if (problem) throw new DeployError('size', `model "${artifact.name}" does not fit the ${board.label}, nothing was uploaded: ${problem}`, { sizes: compiled.sizes, limits: compiled.limits, stackReserve });
    end(`fits: flash ${compiled.sizes.flash}/${compiled.limits.flash} B, RAM ${compiled.sizes.ram}+${stackReserve}/${compiled.limits.ram} B`);

    begin('upload', 'uploading');
    let borrow;
    try {
      borrow = await borrowWithin(opts.link, opts.timeouts?.borrow ?? 30_000);
    } catch (e) {
      throw new DeployError('upload', `cannot take the serial port for the upload: ${(e as Error).message}`);
    }
    let uploadedBytes: number | undefined;
    // The uploader is stopped only when its port vanishes (nothing left to spoil) or its owner shuts down; a cancel
    // waits for it to finish.
    const portGone = new AbortController();
    const watch = watchPort(borrow.path, () => portGone.abort(new Error('the port vanished')));
    const onShutdown = (): void => portGone.abort(new Error('stopped: the deploy was shut down'));
    if (opts.shutdown?.aborted) onShutdown();
    opts.shutdown?.addEventListener('abort', onShutdown, { once: true });
    try {
      checkPort(borrow.path);
      // A pause with the port closed: the emulated Uno sees a reset only on a close -> open edge
      // it polls for, and a real board's USB-serial chip likewise settles; 250 ms costs nothing.
      await new Promise((resolve) => setTimeout(resolve, opts.settleMs ?? 250));
      if (watch.gone) throw new Error('the port vanished');
      const up = await driver.upload(compiled, sketch.dir, borrow.path, board, { timeoutMs: opts.timeouts?.upload ?? 60_000, signal: portGone.signal });
      uploadedBytes = up.bytes;
    } catch (e) {
      if (watch.gone) {
        throw new DeployError('upload', `upload to '${borrow.path}' failed: the port vanished during the upload (board unplugged, or the emulator stopped); the uploader was stopped and the port given back. The board may hold a half-written sketch: reconnect it and deploy again`);
      }
      const text = (e as Error).message;
      throw new DeployError('upload', text.includes(borrow.path) ? text : `upload to '${borrow.path}' failed: ${text}`);
    } finally {
      watch.stop();
      opts.shutdown?.removeEventListener('abort', onShutdown);
      await borrow.giveBack();
    }
    end(uploadedBytes === undefined ? 'uploaded' : `uploaded ${uploadedBytes} B`);

    begin('verify', `waiting for the board to answer with model ${artifact.hash.slice(0, 12)}`);
    const verifiedBy = await verifyHash(opts.link, artifact.hash, opts.timeouts?.verify ?? 20_000, opts.signal);
    end('the board runs the model');
    return {
      model: artifact.name, hash: artifact.hash, board: board.id, driver: driver.id, mode, window: sketch.window, stride: sketch.stride,
      sizes: compiled.sizes, limits: compiled.limits, stackReserve, uploadedBytes, verifiedBy, stageMs, warnings,
    };
  } catch (e) {
    if (e instanceof DeployError) throw e;
    throw new DeployError(current, (e as Error).message);
  } finally {
    if (!opts.keepBuild) fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The port on loan, or an error when its owner does not let go in time (a late loan is given back at once). */
async function borrowWithin(link: DeviceLink, timeoutMs: number): Promise<PortBorrow> {
  let timedOut = false;
  const pending = link.borrow('uploading');
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new Error(`the port was not free within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  pending.then((b) => { if (timedOut) void b.giveBack(); }, () => undefined);
  try {
    return await Promise.race([pending, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** AVR data addresses in the linker's view (avr-libc's linker scripts): SRAM starts at 0x800100 on the ATmega328P. */
const AVR_DATA_START = 0x800100;

/**
 * GNU ld also refuses with "address 0x800910 of x.elf section `.bss' is not within region `data'"
 * (the section ends past the region): the excess, from the section's end address.
 */
function outsideRegion(output: string, region: 'text' | 'data', limit: number): number | null {
  const re = new RegExp(`address 0x([0-9a-fA-F]+) of .* section [\`'"]?\\.[A-Za-z_.]+[\`'"]? is not within region [\`'"]?${region}[\`'"]?`, 'g');
  let most: number | null = null;
  for (const m of output.matchAll(re)) {
    const addr = parseInt(m[1], 16);
    const used = region === 'data' ? addr - AVR_DATA_START : addr;
    if (used > limit) most = Math.max(most ?? 0, used - limit);
  }
  return most;
}

/**
 * The linker refusing an image larger than the chip ("region `text' overflowed by N bytes", or a
 * section "not within region", GNU ld) is a size refusal too: turned into one with the numbers.
 */
export function linkerOverflow(output: string, flash: number, ram: number, boardLabel: string, model: string): { message: string; sizes: SketchSizes } | null {
  const over = (region: 'text' | 'data', limit: number): number | null => {
    const m = new RegExp(`region [\`'"]?${region}[\`'"]? overflowed by (\\d+) bytes`).exec(output);
    return m ? Number(m[1]) : outsideRegion(output, region, limit);
  };
  const text = over('text', flash);
  const data = over('data', ram);
  if (text === null && data === null) return null;
  const problems: string[] = [];
  const sizes: SketchSizes = { flash: 0, ram: 0 };
  if (text !== null) {
    sizes.flash = flash + text;
    problems.push(`flash: the sketch needs ${sizes.flash} bytes, the chip has ${flash} (${text} too many, the linker refused it)`);
  }
  if (data !== null) {
    sizes.ram = ram + data;
    problems.push(`RAM: globals need ${sizes.ram} bytes, the chip has ${ram} (${data} too many, the linker refused it)`);
  }
  return { message: `model "${model}" does not fit the ${boardLabel}, nothing was uploaded: ${problems.join('; ')}`, sizes };
}

/** Waits for an announcement or result line carrying `hash`; asks again with '?' while waiting. */
export async function verifyHash(link: DeviceLink, hash: string, timeoutMs: number, signal?: AbortSignal): Promise<string> {
  const waiter = new LineWaiter();
  let other: string | null = null;
  const stop = await link.listen(waiter.onLine);
  const deadline = Date.now() + timeoutMs;
  try {
    const matches = (l: string): boolean => {
      const model = announcedModel(l);
      if (model !== null) {
        if (model === hash) return true;
        other = model === '' ? 'a sketch without a model (the capture sketch?)' : `model ${model.slice(0, 12)}`;
        return false;
      }
      const r = parseDeviceResult(l);
      if (r) {
        if (r.hash === hash) return true;
        other = `model ${r.hash.slice(0, 12)}`;
      }
      return false;
    };
    let asked = 0;
    while (Date.now() < deadline) {
      const wait = Math.min(asked === 0 ? 2500 : 3000, deadline - Date.now());
      const line = await waiter.next(matches, Math.max(1, wait), signal).catch((e: Error) => {
        throw new DeployError('verify', e.message === 'cancelled' ? 'deploy cancelled while verifying' : e.message);
      });
      if (line !== null) return line;
      asked++;
      await link.write('?\n').catch(() => undefined);
    }
  } finally {
    await stop();
  }
  throw new DeployError('verify', `the board did not answer with model ${hash.slice(0, 12)} within ${timeoutMs} ms${other ? `: it runs ${other}` : ''}; the upload may have failed or the board is not the one on this port`);
}
