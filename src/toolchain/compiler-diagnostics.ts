/**
 * GCC diagnostics ("file:line:col: error: message") parsed into values, so a failed build names
 * the file and line to fix instead of dumping the compiler's whole output.
 */
export interface CompilerDiagnostic {
  file: string;
  line: number;
  column?: number;
  severity: 'error' | 'warning' | 'note';
  message: string;
}

// GCC's format: https://gcc.gnu.org/onlinedocs/gcc/Diagnostic-Message-Formatting-Options.html
const DIAGNOSTIC = /^(.+?):(\d+):(?:(\d+):)?\s+(?:fatal\s+)?(error|warning|note):\s+(.*)$/;

export function parseGccDiagnostics(output: string): CompilerDiagnostic[] {
  const found: CompilerDiagnostic[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const m = DIAGNOSTIC.exec(raw.trim());
    if (!m) continue;
    found.push({
      file: m[1],
      line: Number(m[2]),
      column: m[3] === undefined ? undefined : Number(m[3]),
      severity: m[4] as CompilerDiagnostic['severity'],
      message: m[5],
    });
  }
  return found;
}

/** One line per error: "file:line:col: message". */
export function formatDiagnostic(d: CompilerDiagnostic): string {
  return `${d.file}:${d.line}${d.column === undefined ? '' : `:${d.column}`}: ${d.severity}: ${d.message}`;
}

/** A build failure carrying the parsed errors; the message names the first errors and their places. */
export class CompileError extends Error {
  constructor(
    readonly what: string,
    readonly diagnostics: CompilerDiagnostic[],
    readonly output: string,
  ) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const shown = errors.slice(0, 5).map(formatDiagnostic);
    const more = errors.length > 5 ? `\n... and ${errors.length - 5} more errors` : '';
    const fallback = output.trim().split(/\r?\n/).slice(-5).join('\n');
    super(`${what} failed to compile:\n${shown.length > 0 ? shown.join('\n') + more : fallback}`);
    this.name = 'CompileError';
  }
}
