/**
 * Runs an external tool with an argument list (never a shell) and turns "not installed" into an
 * error that names the Debian package to install.
 */
import { execFile } from 'child_process';

export interface ToolResult {
  stdout: string;
  stderr: string;
  /** Exit status; 0 on success. */
  code: number;
}

/** Debian packages that provide the tools this pack drives, for install hints. */
const PACKAGE_OF: Readonly<Record<string, string>> = {
  'avr-gcc': 'gcc-avr',
  'avr-g++': 'gcc-avr',
  'avr-gcc-ar': 'gcc-avr',
  'avr-objcopy': 'binutils-avr',
  'avr-size': 'binutils-avr',
  avrdude: 'avrdude',
  gcc: 'gcc',
  'pkg-config': 'pkg-config',
};

export class ToolMissingError extends Error {
  constructor(readonly tool: string) {
    super(`'${tool}' is not installed: install it with 'apt-get install ${PACKAGE_OF[tool] ?? tool}'`);
    this.name = 'ToolMissingError';
  }
}

/** A tool stopped through its AbortSignal (a cancel, or a port that vanished): `reason` says why. */
export class ToolStoppedError extends Error {
  constructor(readonly tool: string, readonly reason: unknown) {
    super(`'${tool}' was stopped: ${reason instanceof Error ? reason.message : String(reason ?? 'cancelled')}`);
    this.name = 'ToolStoppedError';
  }
}

/** Limits shared by every tool of one step (a build runs many): a cancel signal and an absolute deadline (Date.now() ms). */
export interface ToolLimits {
  signal?: AbortSignal;
  deadline?: number;
}

/** runTool options for one tool under `limits`: the time left before the deadline, at most `defaultMs`. */
export function limitedRun(limits: ToolLimits | undefined, defaultMs = 120_000): { timeoutMs: number; signal?: AbortSignal } {
  limits?.signal?.throwIfAborted();
  if (limits?.deadline === undefined) return { timeoutMs: defaultMs, signal: limits?.signal };
  const left = limits.deadline - Date.now();
  if (left <= 0) throw new Error('the time limit of this step ran out');
  return { timeoutMs: Math.min(defaultMs, left), signal: limits.signal };
}

/** Resolves with the output and exit status; rejects when the tool cannot be started, overruns its time or is stopped by `signal`. */
export function runTool(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; timeoutMs?: number; maxBuffer?: number; signal?: AbortSignal } = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new ToolStoppedError(cmd, opts.signal.reason));
      return;
    }
    execFile(
      cmd,
      args,
      { cwd: opts.cwd, timeout: opts.timeoutMs ?? 120_000, maxBuffer: opts.maxBuffer ?? 16 * 1024 * 1024, encoding: 'utf8', signal: opts.signal },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new ToolMissingError(cmd));
          return;
        }
        if (err && opts.signal?.aborted) {
          reject(new ToolStoppedError(cmd, opts.signal.reason));
          return;
        }
        if (err && err.killed) {
          reject(new Error(`'${cmd}' took longer than ${opts.timeoutMs ?? 120_000} ms and was stopped`));
          return;
        }
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ stdout, stderr, code });
      },
    );
  });
}
