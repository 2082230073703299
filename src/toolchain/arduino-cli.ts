/**
 * The ToolchainDriver over arduino-cli (https://arduino.github.io/arduino-cli/), the standard
 * build tool for every Arduino-compatible board. Written against its documented commands and
 * JSON output (`--format json`), accepting both the 0.x and the 1.x shapes:
 *   arduino-cli version --format json         {"VersionString": "1.0.4", ...}
 *   arduino-cli core list --format json       0.x: [{"id","installed"}]; 1.x: {"platforms":[{"id","installed_version"}]}
 *   arduino-cli compile --fqbn F --output-dir D --format json SKETCH
 *       {"compiler_out","compiler_err","builder_result":{"build_path","executable_sections_size":[{"name","size","max_size"}]},"success"[,"error"]}
 *   arduino-cli upload -p PORT --fqbn F --input-dir D SKETCH
 *   arduino-cli board list --format json      0.x: [{"port":{"address"},"matching_boards":[{"name","fqbn"}]}]; 1.x: {"detected_ports":[...]}
 */
import { execFile } from 'child_process';
import fs from 'fs';
import path from 'path';
import type { BoardProfile } from '../boards/profiles';
import { validateFqbn } from '../deploy/validate';
import { CompileError, parseGccDiagnostics } from './compiler-diagnostics';
import { BuildSupport, CompiledSketch, CompileOptions, SketchSizes, ToolchainDriver, ToolchainStatus, UploadOptions, UploadResult } from './driver';

export interface ArduinoCliRun {
  stdout: string;
  stderr: string;
  code: number;
}

type Json = Record<string, unknown>;

function asObject(v: unknown): Json | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`arduino-cli ${what} did not print JSON: ${text.trim().split('\n')[0]?.slice(0, 200) ?? ''}`);
  }
}

export function parseVersionJson(text: string): string {
  const o = asObject(parseJson(text, 'version'));
  const v = o?.VersionString ?? o?.versionString;
  if (typeof v !== 'string') throw new Error('arduino-cli version: no VersionString in its output');
  return v;
}

export interface InstalledPlatform {
  id: string;
  version: string;
}

export function parseCoreListJson(text: string): InstalledPlatform[] {
  const j = parseJson(text, 'core list');
  const list = Array.isArray(j) ? j : asObject(j)?.platforms;
  if (list === undefined || list === null) return []; // 1.x prints {} when no core is installed
  if (!Array.isArray(list)) throw new Error('arduino-cli core list: unexpected JSON shape');
  const out: InstalledPlatform[] = [];
  for (const item of list) {
    const o = asObject(item);
    if (!o || typeof o.id !== 'string') continue;
    const version = o.installed_version ?? o.installed ?? o.Installed;
    if (typeof version === 'string' && version !== '') out.push({ id: o.id, version });
  }
  return out;
}

export interface CompileJson {
  success: boolean;
  compilerOut: string;
  compilerErr: string;
  error?: string;
  buildPath?: string;
  /** Sections as arduino-cli reports them: "text" is program flash, "data" is RAM of globals. */
  sections: { name: string; size: number; maxSize?: number }[];
}

export function parseCompileJson(text: string): CompileJson {
  const o = asObject(parseJson(text, 'compile'));
  if (!o) throw new Error('arduino-cli compile: unexpected JSON shape');
  const br = asObject(o.builder_result) ?? {};
  const sections: CompileJson['sections'] = [];
  for (const s of Array.isArray(br.executable_sections_size) ? br.executable_sections_size : []) {
    const so = asObject(s);
    if (!so || typeof so.name !== 'string' || typeof so.size !== 'number') continue;
    const max = so.max_size ?? so.maxsize;
    sections.push({ name: so.name, size: so.size, maxSize: typeof max === 'number' && max > 0 ? max : undefined });
  }
  return {
    success: o.success === true,
    compilerOut: typeof o.compiler_out === 'string' ? o.compiler_out : '',
    compilerErr: typeof o.compiler_err === 'string' ? o.compiler_err : '',
    error: typeof o.error === 'string' ? o.error : undefined,
    buildPath: typeof br.build_path === 'string' ? br.build_path : undefined,
    sections,
  };
}

/** Flash and RAM used and available, from the compile sections (limits fall back to the profile). */
export function sizesOf(c: CompileJson, board: BoardProfile): { sizes: SketchSizes; limits: SketchSizes } {
  const text = c.sections.find((s) => s.name === 'text');
  const data = c.sections.find((s) => s.name === 'data');
  if (!text) throw new Error('arduino-cli compile reported no program size (no "text" section): cannot check that the sketch fits');
  return {
    sizes: { flash: text.size, ram: data?.size ?? 0 },
    limits: { flash: text.maxSize ?? board.flashBytes, ram: data?.maxSize ?? board.sramBytes },
  };
}

export interface DetectedPort {
  address: string;
  protocol?: string;
  boards: { name: string; fqbn: string }[];
}

export function parseBoardListJson(text: string): DetectedPort[] {
  const j = parseJson(text, 'board list');
  const list = Array.isArray(j) ? j : asObject(j)?.detected_ports;
  if (!Array.isArray(list)) return [];
  const out: DetectedPort[] = [];
  for (const item of list) {
    const o = asObject(item);
    const port = asObject(o?.port);
    if (!o || !port || typeof port.address !== 'string') continue;
    const boards = (Array.isArray(o.matching_boards) ? o.matching_boards : Array.isArray(o.boards) ? o.boards : [])
      .map(asObject)
      .filter((b): b is Json => b !== null && typeof b.fqbn === 'string')
      .map((b) => ({ name: typeof b.name === 'string' ? b.name : String(b.fqbn), fqbn: b.fqbn as string }));
    out.push({ address: port.address, protocol: typeof port.protocol === 'string' ? port.protocol : undefined, boards });
  }
  return out;
}

/** The platform id ("vendor:arch") of an FQBN. */
export function platformOf(fqbn: string): string {
  return fqbn.split(':').slice(0, 2).join(':');
}

export class ArduinoCliDriver implements ToolchainDriver {
  readonly id = 'arduino-cli' as const;

  constructor(readonly command: string = process.env.TINYML_ARDUINO_CLI ?? 'arduino-cli') {}

  /** Runs arduino-cli with an argument list (no shell); resolves null when it is not installed. */
  run(args: readonly string[], opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ArduinoCliRun | null> {
    return new Promise((resolve, reject) => {
      execFile(this.command, args, { timeout: opts.timeoutMs ?? 120_000, signal: opts.signal, maxBuffer: 32 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { killed?: boolean }) | null;
        if (e?.code === 'ENOENT' || e?.code === 'EACCES') return resolve(null);
        if (e?.name === 'AbortError') return reject(new Error('cancelled'));
        if (e?.killed) return reject(new Error(`arduino-cli ${args[0]} took longer than ${opts.timeoutMs ?? 120_000} ms and was stopped`));
        resolve({ stdout, stderr, code: e ? (typeof e.code === 'number' ? e.code : 1) : 0 });
      });
    });
  }

  async status(): Promise<ToolchainStatus> {
    const r = await this.run(['version', '--format', 'json'], { timeoutMs: 15_000 });
    if (!r) return { driver: this.id, installed: false, detail: `'${this.command}' is not installed (https://arduino.github.io/arduino-cli/latest/installation/)` };
    try {
      const version = parseVersionJson(r.stdout);
      const platforms = await this.platforms();
      return { driver: this.id, installed: true, detail: `arduino-cli ${version}; cores: ${platforms.map((p) => `${p.id}@${p.version}`).join(', ') || 'none'}` };
    } catch (e) {
      return { driver: this.id, installed: false, detail: (e as Error).message };
    }
  }

  async platforms(): Promise<InstalledPlatform[]> {
    const r = await this.run(['core', 'list', '--format', 'json'], { timeoutMs: 30_000 });
    if (!r) return [];
    if (r.code !== 0) throw new Error(`arduino-cli core list failed: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
    return parseCoreListJson(r.stdout);
  }

  async supports(board: BoardProfile): Promise<BuildSupport> {
    const bad = validateFqbn(board.fqbn);
    if (bad) return { ok: false, reason: bad };
    const platform = platformOf(board.fqbn);
    const r = await this.run(['version', '--format', 'json'], { timeoutMs: 15_000 });
    if (!r) return { ok: false, reason: `arduino-cli is not installed` };
    let platforms: InstalledPlatform[];
    try {
      platforms = await this.platforms();
    } catch (e) {
      return { ok: false, reason: (e as Error).message };
    }
    if (!platforms.some((p) => p.id === platform)) return { ok: false, reason: `the core ${platform} is not installed ('arduino-cli core install ${platform}')` };
    return { ok: true };
  }

  async compile(sketchDir: string, board: BoardProfile, opts: CompileOptions): Promise<CompiledSketch> {
    const bad = validateFqbn(board.fqbn);
    if (bad) throw new Error(bad);
    fs.mkdirSync(opts.outputDir, { recursive: true });
    const r = await this.run(['compile', '--fqbn', board.fqbn, '--output-dir', path.resolve(opts.outputDir), '--format', 'json', path.resolve(sketchDir)], {
      timeoutMs: opts.timeoutMs ?? 300_000, signal: opts.signal,
    });
    if (!r) throw new Error(`'${this.command}' is not installed`);
    let c: CompileJson;
    try {
      c = parseCompileJson(r.stdout);
    } catch (e) {
      if (r.code !== 0) throw new CompileError(`the sketch '${path.basename(sketchDir)}'`, parseGccDiagnostics(r.stderr), r.stderr);
      throw e;
    }
    if (!c.success || r.code !== 0) {
      const output = [c.compilerErr, c.error ?? '', r.stderr].join('\n');
      throw new CompileError(`the sketch '${path.basename(sketchDir)}' (arduino-cli, ${board.fqbn})`, parseGccDiagnostics(output), output);
    }
    const { sizes, limits } = sizesOf(c, board);
    const base = `${path.basename(path.resolve(sketchDir))}.ino`;
    const image = ['.hex', '.bin', '.uf2'].map((ext) => path.join(opts.outputDir, base + ext)).find((f) => fs.existsSync(f));
    if (!image) throw new Error(`arduino-cli compiled the sketch but left no ${base}.hex/.bin/.uf2 in ${opts.outputDir}`);
    const warnings = parseGccDiagnostics(c.compilerErr).filter((d) => d.severity === 'warning');
    return { driver: this.id, imagePath: image, outputDir: opts.outputDir, sizes, limits, warnings };
  }

  async upload(compiled: CompiledSketch, sketchDir: string, port: string, board: BoardProfile, opts: UploadOptions = {}): Promise<UploadResult> {
    const bad = validateFqbn(board.fqbn);
    if (bad) throw new Error(bad);
    const r = await this.run(['upload', '-p', port, '--fqbn', board.fqbn, '--input-dir', path.resolve(compiled.outputDir), path.resolve(sketchDir)], { timeoutMs: opts.timeoutMs ?? 120_000, signal: opts.signal });
    if (!r) throw new Error(`'${this.command}' is not installed`);
    const log = `${r.stdout}${r.stderr}`;
    if (r.code !== 0) {
      const lines = log.split('\n').filter((l) => /error|fail|not in sync|can't open|cannot|no such/i.test(l));
      throw new Error(`upload to '${port}' failed (arduino-cli status ${r.code}): ${(lines.length ? lines : log.trim().split('\n')).slice(-3).join('; ')}`);
    }
    const bytes = /(\d+) bytes of flash (?:verified|written)/.exec(log);
    return { bytes: bytes ? Number(bytes[1]) : undefined, log };
  }

  async boardList(timeoutMs = 30_000): Promise<DetectedPort[] | null> {
    const r = await this.run(['board', 'list', '--format', 'json'], { timeoutMs });
    if (!r) return null;
    if (r.code !== 0) throw new Error(`arduino-cli board list failed: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
    return parseBoardListJson(r.stdout);
  }
}
