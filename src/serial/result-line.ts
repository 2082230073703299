/**
 * Inference result lines sent by the deployed sketch, a `#` comment so that capture ignores them:
 *
 *   # tinyml-result hash=3f2a9c1e label=wave scores=0.02,0.95,0.03 us=1843
 *
 * This file only recognises the prefix and splits the key=value pairs; what the keys mean is the
 * deploy side's business.
 */

export const RESULT_LINE_PREFIX = '# tinyml-result ';

/** The key=value pairs of a result line, or null when the line is not one. Tokens without '=' are skipped. */
export function parseResultLine(line: string): Record<string, string> | null {
  const start = line.indexOf(RESULT_LINE_PREFIX);
  if (start < 0 || line.slice(0, start).trim() !== '') return null;
  const out: Record<string, string> = {};
  for (const token of line.slice(start + RESULT_LINE_PREFIX.length).split(/[ \t\r]+/)) {
    const eq = token.indexOf('=');
    if (eq > 0) out[token.slice(0, eq)] = token.slice(eq + 1);
  }
  return out;
}
