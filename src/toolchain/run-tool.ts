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

/** Resolves with the output and exit status; rejects only when the tool cannot be started. */
export function runTool(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; timeoutMs?: number; maxBuffer?: number } = {},
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { cwd: opts.cwd, timeout: opts.timeoutMs ?? 120_000, maxBuffer: opts.maxBuffer ?? 16 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new ToolMissingError(cmd));
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
