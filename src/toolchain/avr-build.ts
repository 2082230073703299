/**
 * AVR build driver over Debian's toolchain (gcc-avr, avr-libc, arduino-core-avr), with no
 * arduino-cli and no IDE: compiles an Arduino sketch folder (or plain C sources for tests) with
 * the flags of the core's platform.txt, links, makes the .hex and reports section sizes.
 *
 * Sketch rules (simpler than the IDE's, on purpose): the folder's .ino files are joined (the one
 * named like the folder first), `#include <Arduino.h>` is prepended and NO prototypes are
 * generated, so functions must be declared before use. Other .c/.cpp/.S files beside the .ino
 * and under `src/` are compiled too. The compiled core is cached per board and flags.
 */
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { avrSize, AvrSizes } from './avr-size';
import { buildDir, packageRoot } from './build-paths';
import { CompileError, CompilerDiagnostic, parseGccDiagnostics } from './compiler-diagnostics';
import { limitedRun, runTool, ToolLimits } from './run-tool';

/** Debian's arduino-core-avr; override with TINYML_ARDUINO_AVR_CORE for another install. */
export const DEFAULT_AVR_CORE_DIR = '/usr/share/arduino/hardware/arduino/avr';

export type AvrBoardId = 'uno' | 'nano' | 'emulated-uno';

interface AvrBoardBuild {
  mcu: string;
  fCpu: number;
  boardDefine: string;
  variant: string;
  /** Flash available to the sketch (the boot section holds the bootloader), from boards.txt. */
  maxFlash: number;
  maxRam: number;
}

// From arduino-core-avr's boards.txt (uno.*, nano.menu.cpu.atmega328.*).
const BOARDS: Readonly<Record<AvrBoardId, AvrBoardBuild>> = {
  uno: { mcu: 'atmega328p', fCpu: 16_000_000, boardDefine: 'AVR_UNO', variant: 'standard', maxFlash: 32_256, maxRam: 2048 },
  'emulated-uno': { mcu: 'atmega328p', fCpu: 16_000_000, boardDefine: 'AVR_UNO', variant: 'standard', maxFlash: 32_256, maxRam: 2048 },
  nano: { mcu: 'atmega328p', fCpu: 16_000_000, boardDefine: 'AVR_NANO', variant: 'eightanaloguepins', maxFlash: 30_720, maxRam: 2048 },
};

export type DefineValue = string | number | boolean;

export interface SketchBuildOptions {
  board?: AvrBoardId;
  /** Output folder; default build/sketches/<sketch>-<hash of the options>. */
  buildDir?: string;
  /** -D macros for the sketch's own files (e.g. { TML_SENSOR_SYNTHETIC: true, TML_RATE_HZ: 100 }). */
  defines?: Readonly<Record<string, DefineValue>>;
  /** Arduino library folders (with a src/ folder, or legacy flat layout) to compile and link. */
  libraries?: readonly string[];
  /** Arduino AVR core folder (holds platform.txt, cores/, variants/). */
  coreDir?: string;
  /** Cancel signal and time limit for the whole build (every compiler, archiver and linker run). */
  limits?: ToolLimits;
}

export interface AvrBuildResult {
  elfPath: string;
  hexPath: string;
  sizes: AvrSizes;
  /** What the board can hold for a sketch: flash (boot section excluded) and SRAM. */
  limits: { flash: number; ram: number };
  warnings: CompilerDiagnostic[];
  buildDir: string;
}

export interface AvrProgramOptions {
  /** C (.c), C++ (.cpp) or assembler (.S) files: a bare-metal program with its own main(). */
  sources: readonly string[];
  /** Output folder; default build/avr-programs/<name>. */
  outDir?: string;
  /** Base name of the .elf; default the first source's base name. */
  name?: string;
  includeDirs?: readonly string[];
  defines?: Readonly<Record<string, DefineValue>>;
  /** Optimization level; default 'Os' like the Arduino core. */
  optimize?: 'O0' | 'O1' | 'O2' | 'O3' | 'Os';
  /** Extra compiler flags (e.g. '-Wall'). */
  extraFlags?: readonly string[];
}

export interface AvrProgramResult {
  elfPath: string;
  sizes: AvrSizes;
  warnings: CompilerDiagnostic[];
}

function defineFlags(defines: Readonly<Record<string, DefineValue>> | undefined): string[] {
  const flags: string[] = [];
  for (const [name, value] of Object.entries(defines ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid macro name '${name}' in the build defines`);
    if (value === false) continue;
    flags.push(value === true ? `-D${name}` : `-D${name}=${value}`);
  }
  return flags;
}

function coreDirOf(opts: { coreDir?: string }): string {
  const dir = opts.coreDir ?? process.env.TINYML_ARDUINO_AVR_CORE ?? DEFAULT_AVR_CORE_DIR;
  if (!fs.existsSync(path.join(dir, 'cores', 'arduino', 'Arduino.h'))) {
    throw new Error(`the Arduino AVR core is not at '${dir}': install it with 'apt-get install arduino-core-avr' or set TINYML_ARDUINO_AVR_CORE`);
  }
  return dir;
}

function boardOf(id: AvrBoardId | undefined): AvrBoardBuild {
  const board = BOARDS[id ?? 'uno'];
  if (!board) throw new Error(`the AVR build driver cannot build for board '${id}': it knows ${Object.keys(BOARDS).join(', ')}`);
  return board;
}

// Flags from the core's platform.txt (compiler.*.flags, recipe patterns), plus -DDECIMAL_DIG=9
// because Debian's avr-libc lacks it and WString.cpp of core 1.8.7 needs it.
function commonFlags(board: AvrBoardBuild): string[] {
  return [`-mmcu=${board.mcu}`, `-DF_CPU=${board.fCpu}L`, '-DARDUINO=10807', `-DARDUINO_${board.boardDefine}`, '-DARDUINO_ARCH_AVR', '-DDECIMAL_DIG=9'];
}
const C_FLAGS = ['-c', '-g', '-Os', '-std=gnu11', '-ffunction-sections', '-fdata-sections', '-flto', '-fno-fat-lto-objects'];
const CPP_FLAGS = ['-c', '-g', '-Os', '-std=gnu++11', '-fpermissive', '-fno-exceptions', '-ffunction-sections', '-fdata-sections', '-fno-threadsafe-statics', '-Wno-error=narrowing', '-flto'];
const S_FLAGS = ['-c', '-g', '-x', 'assembler-with-cpp', '-flto'];
const LINK_FLAGS = ['-Os', '-g', '-flto', '-fuse-linker-plugin', '-Wl,--gc-sections'];

function compilerFor(file: string): { cmd: string; flags: string[] } | null {
  const ext = path.extname(file);
  if (ext === '.c') return { cmd: 'avr-gcc', flags: C_FLAGS };
  if (ext === '.cpp' || ext === '.cc') return { cmd: 'avr-g++', flags: CPP_FLAGS };
  if (ext === '.S') return { cmd: 'avr-gcc', flags: S_FLAGS };
  return null;
}

function listSources(dir: string, recursive: boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...listSources(full, true));
    } else if (compilerFor(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

/** Runs jobs with at most `limit` in flight (the machine's cores are shared). */
async function inParallel<T>(items: readonly T[], limit: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await job(item);
    }
  });
  await Promise.all(workers);
}

function objectName(source: string, root: string): string {
  const rel = path.relative(root, source).replace(/[\\/]/g, '_');
  return `${rel}.o`;
}

async function compileOne(source: string, object: string, extra: readonly string[], what: string, warnings: CompilerDiagnostic[], limits?: ToolLimits): Promise<void> {
  const compiler = compilerFor(source);
  if (!compiler) throw new Error(`cannot compile '${source}': unknown source type`);
  const res = await runTool(compiler.cmd, [...compiler.flags, ...extra, source, '-o', object], limitedRun(limits));
  const diagnostics = parseGccDiagnostics(res.stderr);
  if (res.code !== 0) throw new CompileError(what, diagnostics, res.stderr);
  warnings.push(...diagnostics.filter((d) => d.severity === 'warning'));
}

/** The core compiled into core.a, cached under build/avr-core/<board>-<hash of flags and files>. */
async function compiledCore(coreDir: string, board: AvrBoardBuild, limits?: ToolLimits): Promise<{ archive: string; includes: string[] }> {
  const coreSrc = path.join(coreDir, 'cores', 'arduino');
  const variantDir = path.join(coreDir, 'variants', board.variant);
  const includes = [`-I${coreSrc}`, `-I${variantDir}`];
  const sources = [...listSources(coreSrc, false), ...listSources(variantDir, false)];
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify({ flags: [C_FLAGS, CPP_FLAGS, S_FLAGS, commonFlags(board)], coreDir }));
  for (const s of sources) hash.update(`${s}:${fs.statSync(s).mtimeMs}`);
  const root = buildDir('avr-core');
  const final = path.join(root, `${board.mcu}-${board.boardDefine}-${hash.digest('hex').slice(0, 12)}`);
  const archive = path.join(final, 'core.a');
  if (fs.existsSync(archive)) return { archive, includes };

  // Built in a private folder then renamed, so concurrent builds never see a half-made archive.
  const tmp = fs.mkdtempSync(path.join(root, 'tmp-'));
  try {
    const objects: string[] = [];
    const flags = ['-w', ...commonFlags(board), ...includes];
    await inParallel(sources, 2, async (src) => {
      const obj = path.join(tmp, objectName(src, coreDir));
      await compileOne(src, obj, flags, `the Arduino core (${path.basename(src)})`, [], limits);
      objects.push(obj);
    });
    objects.sort();
    const ar = await runTool('avr-gcc-ar', ['rcs', path.join(tmp, 'core.a'), ...objects], limitedRun(limits));
    if (ar.code !== 0) throw new Error(`avr-gcc-ar could not archive the Arduino core: ${ar.stderr.trim()}`);
    try {
      fs.renameSync(tmp, final);
    } catch {
      // another build won the race: its archive is identical
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { archive, includes };
}

/** Joins the sketch's .ino files into one C++ file, with #line so errors name the .ino and its line. */
function sketchCpp(sketchDir: string): { name: string; text: string } {
  const name = path.basename(path.resolve(sketchDir));
  const inos = fs.readdirSync(sketchDir).filter((f) => f.endsWith('.ino')).sort();
  if (inos.length === 0) throw new Error(`no .ino file in the sketch folder '${sketchDir}'`);
  const main = inos.includes(`${name}.ino`) ? `${name}.ino` : inos[0];
  const ordered = [main, ...inos.filter((f) => f !== main)];
  let text = '#include <Arduino.h>\n';
  for (const f of ordered) {
    const full = path.resolve(sketchDir, f);
    text += `#line 1 ${JSON.stringify(full)}\n${fs.readFileSync(full, 'utf8')}\n`;
  }
  return { name: path.basename(main, '.ino'), text };
}

function librarySources(lib: string): { include: string; sources: string[] } {
  const src = path.join(lib, 'src');
  if (fs.existsSync(src)) return { include: src, sources: listSources(src, true) };
  return { include: lib, sources: listSources(lib, false) };
}

/** Builds an Arduino sketch folder for an AVR board; rejects with a CompileError naming file and line. */
export async function buildSketch(sketchDir: string, opts: SketchBuildOptions = {}): Promise<AvrBuildResult> {
  const board = boardOf(opts.board);
  const coreDir = coreDirOf(opts);
  if (!fs.existsSync(sketchDir)) throw new Error(`the sketch folder '${sketchDir}' does not exist`);
  const sketch = sketchCpp(sketchDir);
  const key = crypto
    .createHash('sha256')
    .update(JSON.stringify({ dir: path.resolve(sketchDir), board: opts.board ?? 'uno', defines: opts.defines ?? {}, libs: opts.libraries ?? [] }))
    .digest('hex')
    .slice(0, 10);
  const out = opts.buildDir ?? path.join(buildDir('sketches'), `${sketch.name}-${key}`);

  const core = await compiledCore(coreDir, board, opts.limits);
  const libs = (opts.libraries ?? []).map(librarySources);
  const includes = [...core.includes, `-I${path.resolve(sketchDir)}`, ...libs.map((l) => `-I${l.include}`)];
  const flags = ['-Wall', ...commonFlags(board), ...defineFlags(opts.defines), ...includes];
  const sketchSources = [...listSources(sketchDir, false), ...listSources(path.join(sketchDir, 'src'), true), ...libs.flatMap((l) => l.sources)];
  const elfName = `${sketch.name}.elf`;
  const hexName = `${sketch.name}.hex`;
  const limits = { flash: board.maxFlash, ram: board.maxRam };

  // Reused when nothing that goes into the image changed (sources, headers, flags, core).
  const stamp = inputsHash([sketch.text, JSON.stringify(flags), core.archive], [sketchDir, ...libs.map((l) => l.include)]);
  const cached = readStamp(out, stamp);
  if (cached) {
    const elfPath = path.join(out, elfName);
    return { elfPath, hexPath: path.join(out, hexName), sizes: await avrSize(elfPath), limits, warnings: cached, buildDir: out };
  }

  // A default folder is built privately then swapped in: concurrent builds never mix objects.
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const work = opts.buildDir ? out : fs.mkdtempSync(`${out}.tmp-`);
  fs.mkdirSync(work, { recursive: true });
  try {
    const sketchFile = path.join(work, `${sketch.name}.ino.cpp`);
    fs.writeFileSync(sketchFile, sketch.text);
    const warnings: CompilerDiagnostic[] = [];
    const objects: string[] = [];
    await inParallel([sketchFile, ...sketchSources], 2, async (src) => {
      const obj = path.join(work, `${path.basename(src)}-${crypto.createHash('sha1').update(src).digest('hex').slice(0, 6)}.o`);
      await compileOne(src, obj, flags, `the sketch '${sketch.name}'`, warnings, opts.limits);
      objects.push(obj);
    });
    objects.sort();
    const elfWork = path.join(work, elfName);
    const link = await runTool('avr-gcc', ['-w', ...LINK_FLAGS, `-mmcu=${board.mcu}`, '-o', elfWork, ...objects, core.archive, `-L${work}`, '-lm'], limitedRun(opts.limits));
    if (link.code !== 0) throw new CompileError(`linking the sketch '${sketch.name}'`, parseGccDiagnostics(link.stderr), link.stderr);
    const hex = await runTool('avr-objcopy', ['-O', 'ihex', '-R', '.eeprom', elfWork, path.join(work, hexName)], limitedRun(opts.limits));
    if (hex.code !== 0) throw new Error(`avr-objcopy could not make the .hex of '${sketch.name}': ${hex.stderr.trim()}`);
    fs.writeFileSync(path.join(work, STAMP_FILE), JSON.stringify({ stamp, warnings }));
    if (work !== out) {
      fs.rmSync(out, { recursive: true, force: true });
      fs.renameSync(work, out);
    }
    const elfPath = path.join(out, elfName);
    return { elfPath, hexPath: path.join(out, hexName), sizes: await avrSize(elfPath), limits, warnings, buildDir: out };
  } finally {
    if (work !== out) fs.rmSync(work, { recursive: true, force: true });
  }
}

const STAMP_FILE = 'build-stamp.json';

/** Hash of the given strings and of every file (name and content) under the given folders. */
function inputsHash(parts: readonly string[], dirs: readonly string[]): string {
  const hash = crypto.createHash('sha256');
  for (const p of parts) hash.update(`${p}\0`);
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) hash.update(`${full}\0`).update(fs.readFileSync(full));
    }
  };
  dirs.forEach(walk);
  return hash.digest('hex');
}

function readStamp(out: string, stamp: string): CompilerDiagnostic[] | null {
  try {
    const saved = JSON.parse(fs.readFileSync(path.join(out, STAMP_FILE), 'utf8')) as { stamp?: string; warnings?: CompilerDiagnostic[] };
    return saved.stamp === stamp ? saved.warnings ?? [] : null;
  } catch {
    return null;
  }
}

/**
 * Builds a bare-metal C program for the ATmega328P at 16 MHz (no Arduino core): for checking
 * firmware C on the emulated chip with `runAvrProgram`. Add `avrTestSupportDir()` to includeDirs
 * to use tml_avr_test.h (UART printf, cycle marks, exit).
 */
export async function buildAvrProgram(opts: AvrProgramOptions): Promise<AvrProgramResult> {
  if (opts.sources.length === 0) throw new Error('buildAvrProgram needs at least one source file');
  const name = opts.name ?? path.basename(opts.sources[0]).replace(/\.[^.]+$/, '');
  const out = opts.outDir ?? path.join(buildDir('avr-programs'), name);
  fs.mkdirSync(out, { recursive: true });
  const elfPath = path.join(out, `${name}.elf`);
  const flags = [
    '-mmcu=atmega328p', '-DF_CPU=16000000UL', `-${opts.optimize ?? 'Os'}`, '-g', '-ffunction-sections', '-fdata-sections',
    ...(opts.includeDirs ?? []).map((d) => `-I${d}`), ...defineFlags(opts.defines), ...(opts.extraFlags ?? []),
  ];
  const anyCpp = opts.sources.some((s) => /\.(cpp|cc)$/.test(s));
  const res = await runTool(anyCpp ? 'avr-g++' : 'avr-gcc', [
    ...flags, ...(anyCpp ? [] : ['-std=gnu99']), '-Wl,--gc-sections', '-o', elfPath, ...opts.sources, '-lm',
  ]);
  const diagnostics = parseGccDiagnostics(res.stderr);
  if (res.code !== 0) throw new CompileError(`the AVR program '${name}'`, diagnostics, res.stderr);
  const sizes = await avrSize(elfPath);
  return { elfPath, sizes, warnings: diagnostics.filter((d) => d.severity === 'warning') };
}

/** Folder holding tml_avr_test.h, the support header for bare-metal test programs. */
export function avrTestSupportDir(): string {
  return path.join(packageRoot(), 'tools', 'uno-emulator');
}
