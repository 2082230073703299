/**
 * The ToolchainDriver over Debian's AVR packages (gcc-avr, avr-libc, arduino-core-avr, avrdude):
 * `buildSketch` to compile, avrdude through the board's bootloader to upload. ATmega328P boards only.
 */
import fs from 'fs';
import path from 'path';
import type { BoardProfile } from '../boards/profiles';
import { AvrBoardId, buildSketch, DEFAULT_AVR_CORE_DIR } from './avr-build';
import { uploadWithAvrdude } from './avrdude-upload';
import { CompiledSketch, CompileOptions, BuildSupport, ToolchainDriver, ToolchainStatus, UploadOptions, UploadResult } from './driver';
import { runTool } from './run-tool';

const AVR_BOARDS: Readonly<Record<string, AvrBoardId>> = { uno: 'uno', nano: 'nano', 'emulated-uno': 'emulated-uno' };

async function toolVersion(cmd: string, args: string[]): Promise<string | null> {
  try {
    const r = await runTool(cmd, args, { timeoutMs: 10_000 });
    const text = `${r.stdout}\n${r.stderr}`;
    const m = /(\d+\.\d+(?:\.\d+)?)/.exec(text);
    return m ? m[1] : r.code === 0 || text.trim() !== '' ? 'unknown version' : null;
  } catch {
    return null;
  }
}

export class DebianAvrDriver implements ToolchainDriver {
  readonly id = 'debian-avr' as const;

  constructor(private readonly coreDir: string = process.env.TINYML_ARDUINO_AVR_CORE ?? DEFAULT_AVR_CORE_DIR) {}

  private async missing(): Promise<string[]> {
    const missing: string[] = [];
    if (!(await toolVersion('avr-gcc', ['--version']))) missing.push("avr-gcc ('apt-get install gcc-avr avr-libc')");
    if (!fs.existsSync(path.join(this.coreDir, 'cores', 'arduino', 'Arduino.h'))) missing.push(`the Arduino AVR core at ${this.coreDir} ('apt-get install arduino-core-avr')`);
    if (!(await toolVersion('avrdude', ['-?']))) missing.push("avrdude ('apt-get install avrdude')");
    return missing;
  }

  async status(): Promise<ToolchainStatus> {
    const missing = await this.missing();
    if (missing.length) return { driver: this.id, installed: false, detail: `missing ${missing.join(', ')}` };
    const gcc = await toolVersion('avr-gcc', ['--version']);
    const dude = await toolVersion('avrdude', ['-?']);
    return { driver: this.id, installed: true, detail: `avr-gcc ${gcc}, avrdude ${dude}, core ${this.coreDir}` };
  }

  async supports(board: BoardProfile): Promise<BuildSupport> {
    if (!AVR_BOARDS[board.id]) return { ok: false, reason: `Debian's AVR toolchain builds only for ${Object.keys(AVR_BOARDS).join(', ')}; install arduino-cli and its core for ${board.label}` };
    const missing = await this.missing();
    return missing.length ? { ok: false, reason: `missing ${missing.join(', ')}` } : { ok: true };
  }

  async compile(sketchDir: string, board: BoardProfile, opts: CompileOptions): Promise<CompiledSketch> {
    const id = AVR_BOARDS[board.id];
    if (!id) throw new Error(`Debian's AVR toolchain cannot build for ${board.id}`);
    opts.signal?.throwIfAborted();
    const limits = { signal: opts.signal, deadline: Date.now() + (opts.timeoutMs ?? 300_000) };
    const built = await buildSketch(sketchDir, { board: id, buildDir: opts.outputDir, coreDir: this.coreDir, limits });
    return { driver: this.id, imagePath: built.hexPath, outputDir: built.buildDir, sizes: { flash: built.sizes.flash, ram: built.sizes.ram }, limits: built.limits, warnings: built.warnings };
  }

  async upload(compiled: CompiledSketch, _sketchDir: string, port: string, board: BoardProfile, opts: UploadOptions = {}): Promise<UploadResult> {
    if (!AVR_BOARDS[board.id]) throw new Error(`Debian's AVR toolchain cannot upload to ${board.id}`);
    const r = await uploadWithAvrdude(compiled.imagePath, port, { part: 'm328p', baud: 115200, timeoutMs: opts.timeoutMs ?? 90_000, signal: opts.signal });
    return { bytes: r.bytes, log: r.log };
  }
}
