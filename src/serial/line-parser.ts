/**
 * Classifies and parses one serial text line without throwing and, for plain numeric lines,
 * without allocating: values go into a reused Float64Array.
 *
 * Formats:
 * - numbers separated by comma, tab or space (Edge Impulse data-forwarder lines); blanks around a
 *   comma are allowed, a trailing comma is allowed, an empty field (`1,,2`) is malformed;
 * - JSON objects `{"ax":0.1,"ay":0.2}`: numeric members are the values, others are ignored;
 * - `name:value` pairs separated by comma, tab or space (`ax:0.1 ay:0.2`, Arduino plotter style);
 * - `#` comments, among them the announcement and the result lines; empty lines.
 * Anything else is malformed, or binary when it holds control bytes or U+FFFD (invalid UTF-8).
 */
import { Announcement, parseAnnouncementResult } from './announcement';
import { RESULT_LINE_PREFIX } from './result-line';

export type LineKind = 'empty' | 'comment' | 'announcement' | 'result' | 'numbers' | 'named' | 'malformed' | 'binary';

/** Most values one line may carry (a 4 KB line holds at most ~2048 one-digit values). */
export const MAX_VALUES_PER_LINE = 512;

// Exact powers of ten: m / 10^k is correctly rounded when m < 2^53 and k <= 22 (Clinger, "How to
// read floating point numbers accurately", PLDI 1990, the fast path).
const POW10: number[] = [];
for (let k = 0, p = 1; k <= 22; k++, p *= 10) POW10.push(p);

const MAX_FAST_DIGITS = 15; // 10^15 < 2^53: the digit accumulator stays an exact integer

export class LineParser {
  /** Values of the last numbers/named line, `count` of them. */
  readonly values = new Float64Array(MAX_VALUES_PER_LINE);
  count = 0;
  /** Names of the last named line (JSON keys or name:value names), same order as values. */
  names: string[] = [];
  /** The announcement of the last announcement line. */
  announcement: Announcement | null = null;
  /** Why the last line was malformed or binary. */
  error = '';
  private numEnd = 0;
  private numValue = 0;

  parse(line: string): LineKind {
    let end = line.length;
    if (end > 0 && line.charCodeAt(end - 1) === 13) end--;
    let i = 0;
    while (i < end && isBlank(line.charCodeAt(i))) i++;
    if (i === end) return 'empty';
    const first = line.charCodeAt(i);
    if (first === 35 /* # */) return this.comment(line);
    if (first === 123 /* { */) return this.json(line, end);
    const n = this.numbers(line, i, end);
    if (n >= 0) {
      this.count = n;
      return 'numbers';
    }
    if (n === -2) return this.fail(line, `more than ${MAX_VALUES_PER_LINE} values`);
    if (line.indexOf(':', i) >= 0) return this.named(line, i, end);
    return this.fail(line, 'not numbers separated by comma, tab or space');
  }

  private comment(line: string): LineKind {
    if (hasBinary(line)) return this.fail(line, 'control bytes in a comment');
    if (line.trimStart().startsWith(RESULT_LINE_PREFIX)) return 'result';
    const r = parseAnnouncementResult(line);
    if (r === null) return 'comment';
    if (!r.ok) {
      this.error = r.error;
      return 'malformed';
    }
    this.announcement = r.announcement;
    return 'announcement';
  }

  /** Parses numbers from i to end into values; returns the count, -1 when malformed, -2 when too many. */
  private numbers(line: string, i: number, end: number): number {
    const values = this.values;
    let count = 0;
    for (;;) {
      if (!this.number(line, i, end)) return -1;
      if (count === MAX_VALUES_PER_LINE) return -2;
      values[count++] = this.numValue;
      const after = this.numEnd;
      let j = after;
      while (j < end && isBlank(line.charCodeAt(j))) j++;
      if (j === end) return count;
      if (line.charCodeAt(j) === 44 /* , */) {
        j++;
        while (j < end && isBlank(line.charCodeAt(j))) j++;
        if (j === end) return count; // trailing comma, as `Serial.print(x); Serial.print(',')` loops leave
      } else if (j === after) {
        return -1; // junk glued to a number
      }
      i = j;
    }
  }

  /** Reads a decimal number at i; sets numValue and numEnd. Accepts 1, -1.5, +.5, 2., 1e-3. */
  private number(line: string, i: number, end: number): boolean {
    const start = i;
    let c = line.charCodeAt(i);
    let neg = false;
    if (c === 45 /* - */ || c === 43 /* + */) {
      neg = c === 45;
      i++;
    }
    let mant = 0;
    let digits = 0;
    let frac = 0;
    let slow = false;
    while (i < end) {
      c = line.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (digits === MAX_FAST_DIGITS) slow = true;
      else if (mant !== 0 || c !== 0) digits++;
      mant = mant * 10 + c;
      i++;
    }
    let any = i > start + (line.charCodeAt(start) === 45 || line.charCodeAt(start) === 43 ? 1 : 0);
    if (i < end && line.charCodeAt(i) === 46 /* . */) {
      i++;
      while (i < end) {
        c = line.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        any = true;
        if (digits === MAX_FAST_DIGITS) slow = true;
        else if (mant !== 0 || c !== 0) digits++;
        mant = mant * 10 + c;
        frac++;
        i++;
      }
    }
    if (!any) return false;
    if (i < end && (line.charCodeAt(i) | 32) === 101 /* e, E */) {
      let k = i + 1;
      c = line.charCodeAt(k);
      if (c === 45 || c === 43) k++;
      const expStart = k;
      while (k < end && line.charCodeAt(k) >= 48 && line.charCodeAt(k) <= 57) k++;
      if (k === expStart) return false;
      i = k;
      slow = true;
    }
    if (slow || frac > 22) {
      const v = Number(line.slice(start, i));
      if (!Number.isFinite(v)) return false;
      this.numValue = v;
    } else {
      const v = frac === 0 ? mant : mant / POW10[frac];
      this.numValue = neg ? -v : v;
    }
    this.numEnd = i;
    return true;
  }

  /** name:value pairs, separated like numbers. */
  private named(line: string, i: number, end: number): LineKind {
    const names: string[] = [];
    let count = 0;
    for (;;) {
      const nameStart = i;
      while (i < end) {
        const c = line.charCodeAt(i);
        if (c === 58 /* : */ || c === 44 || isBlank(c)) break;
        i++;
      }
      if (i === nameStart || i === end || line.charCodeAt(i) !== 58) return this.fail(line, 'a name:value pair lacks its name or colon');
      const name = line.slice(nameStart, i);
      i++;
      while (i < end && isBlank(line.charCodeAt(i))) i++;
      if (!this.number(line, i, end)) return this.fail(line, `the value of ${JSON.stringify(name)} is not a number`);
      if (count === MAX_VALUES_PER_LINE) return this.fail(line, `more than ${MAX_VALUES_PER_LINE} values`);
      if (names.indexOf(name) >= 0) return this.fail(line, `name ${JSON.stringify(name)} appears twice`);
      names.push(name);
      this.values[count++] = this.numValue;
      const after = this.numEnd;
      let j = after;
      while (j < end && isBlank(line.charCodeAt(j))) j++;
      if (j === end) break;
      if (line.charCodeAt(j) === 44) {
        j++;
        while (j < end && isBlank(line.charCodeAt(j))) j++;
        if (j === end) break;
      } else if (j === after) {
        return this.fail(line, `junk after the value of ${JSON.stringify(name)}`);
      }
      i = j;
    }
    if (hasBinary(line)) return this.fail(line, 'control bytes in a name');
    this.names = names;
    this.count = count;
    return 'named';
  }

  private json(line: string, end: number): LineKind {
    let parsed: unknown;
    try {
      parsed = JSON.parse(end === line.length ? line : line.slice(0, end));
    } catch {
      return this.fail(line, 'not valid JSON');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return this.fail(line, 'JSON that is not an object');
    const names: string[] = [];
    let count = 0;
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof value !== 'number') continue; // labels, flags and nested objects are not axes
      if (count === MAX_VALUES_PER_LINE) return this.fail(line, `more than ${MAX_VALUES_PER_LINE} values`);
      names.push(key);
      this.values[count++] = value;
    }
    if (count === 0) return this.fail(line, 'a JSON object without numeric members');
    if (names.some(hasBinary)) return this.fail(line, 'control bytes in a JSON key');
    this.names = names;
    this.count = count;
    return 'named';
  }

  private fail(line: string, why: string): LineKind {
    if (hasBinary(line)) {
      this.error = 'control bytes or invalid UTF-8 (wrong baud rate, or boot noise)';
      return 'binary';
    }
    this.error = why;
    return 'malformed';
  }
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Control characters other than tab (and a final CR), DEL, or U+FFFD from invalid UTF-8. */
export function hasBinary(line: string): boolean {
  let end = line.length;
  if (end > 0 && line.charCodeAt(end - 1) === 13) end--;
  for (let i = 0; i < end; i++) {
    const c = line.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127 || c === 0xfffd) return true;
  }
  return false;
}
