/**
 * One interface over the toolchains that build and upload a sketch: arduino-cli (every board
 * it has a core for) and Debian's AVR packages (the ATmega328P boards). `chooseDriver` picks
 * arduino-cli when it is installed and has the board's core, else Debian's AVR toolchain.
 */
import type { BoardProfile } from '../boards/profiles';
import type { CompilerDiagnostic } from './compiler-diagnostics';

export interface SketchSizes {
  /** Bytes of program flash used (text + initialised data). */
  flash: number;
  /** Bytes of RAM used by globals (data + bss); the stack comes on top. */
  ram: number;
}

export interface CompiledSketch {
  driver: DriverId;
  /** The image to upload (.hex for AVR; .bin/.uf2 elsewhere). */
  imagePath: string;
  /** The folder holding the build outputs (arduino-cli's --input-dir for upload). */
  outputDir: string;
  sizes: SketchSizes;
  /** What the board can hold: flash for the sketch (bootloader excluded) and RAM. */
  limits: SketchSizes;
  warnings: CompilerDiagnostic[];
}

export interface UploadResult {
  /** Bytes written, when the tool says. */
  bytes?: number;
  log: string;
}

export interface ToolchainStatus {
  driver: DriverId;
  installed: boolean;
  /** Version or what is missing, in words a user can act on. */
  detail: string;
}

export interface BuildSupport {
  ok: boolean;
  /** Why not, with what to install. */
  reason?: string;
}

export interface CompileOptions {
  /** Empty folder for the build outputs. */
  outputDir: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface UploadOptions {
  timeoutMs?: number;
  /**
   * Stops the uploader. Deploy aborts it only when the port has vanished (the board is gone, nothing
   * is left to spoil); a user's cancel waits for the upload to end.
   */
  signal?: AbortSignal;
}

export type DriverId = 'arduino-cli' | 'debian-avr';

export interface ToolchainDriver {
  readonly id: DriverId;
  status(): Promise<ToolchainStatus>;
  /** Can this driver compile and upload for the board here (tools and core installed)? */
  supports(board: BoardProfile): Promise<BuildSupport>;
  /** Compiles the sketch folder; rejects with a CompileError naming file and line. */
  compile(sketchDir: string, board: BoardProfile, opts: CompileOptions): Promise<CompiledSketch>;
  /** Uploads a compiled sketch; never interrupted half-way (the board would be left half-written). */
  upload(compiled: CompiledSketch, sketchDir: string, port: string, board: BoardProfile, opts?: UploadOptions): Promise<UploadResult>;
}

export class NoToolchainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoToolchainError';
  }
}

/** The first driver that supports the board, or an error listing what each one lacks. */
export async function chooseDriver(board: BoardProfile, drivers: readonly ToolchainDriver[]): Promise<ToolchainDriver> {
  const reasons: string[] = [];
  for (const d of drivers) {
    const s = await d.supports(board);
    if (s.ok) return d;
    reasons.push(`${d.id}: ${s.reason ?? 'not supported'}`);
  }
  throw new NoToolchainError(`nothing installed here can build for ${board.label} (${board.id}): ${reasons.join('; ')}`);
}

/** Refuses a build that does not fit, with the numbers; null when it fits. */
export function sizeProblem(sizes: SketchSizes, limits: SketchSizes, stackReserve: number): string | null {
  const problems: string[] = [];
  if (sizes.flash > limits.flash) problems.push(`flash: the sketch needs ${sizes.flash} bytes, the board has ${limits.flash} (${sizes.flash - limits.flash} too many)`);
  if (sizes.ram + stackReserve > limits.ram) {
    problems.push(`RAM: globals take ${sizes.ram} bytes + ${stackReserve} kept for the stack = ${sizes.ram + stackReserve}, the board has ${limits.ram} (${sizes.ram + stackReserve - limits.ram} too many)`);
  }
  return problems.length ? problems.join('; ') : null;
}
