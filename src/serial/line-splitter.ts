/**
 * Splits a serial byte stream into lines with a fixed memory bound.
 *
 * Lines end with `\n`; a `\r` just before it is removed (`\r\n` and `\n` both work). A line whose
 * bytes before the `\n` (a `\r` included) exceed `maxLineBytes` is dropped and counted, and the
 * bytes held for an unfinished line never exceed `maxLineBytes`: a device that never sends a
 * newline cannot grow memory. Lines are decoded as UTF-8 one line at a time; splitting on the
 * byte 0x0A is safe because it never occurs inside a multi-byte UTF-8 sequence (RFC 3629 §3),
 * and invalid bytes become U+FFFD, which the parser counts as binary.
 */
export class LineSplitter {
  readonly maxLineBytes: number;
  /** Called once per over-long line dropped (wire it to `CaptureStream.noteDropped('tooLong')`). */
  onOverlong?: () => void;
  private readonly partial: Buffer;
  private partialLength = 0;
  /** Dropping bytes until the next newline (over-long line, or a possibly truncated first line). */
  private skipping = false;
  /** The line being skipped is over-long (counted when its end arrives or it first overflows). */
  private skipCounted = true;
  /** The next line may have been cut by the port opening: only an announcement inside it is kept. */
  private suspect = false;
  private overlong = 0;

  constructor(maxLineBytes = 4096) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new RangeError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`);
    this.maxLineBytes = maxLineBytes;
    this.partial = Buffer.allocUnsafe(maxLineBytes);
  }

  /** Over-long lines dropped so far. */
  get overlongCount(): number {
    return this.overlong;
  }

  /** Bytes held for the unfinished line (never more than maxLineBytes). */
  get bufferedBytes(): number {
    return this.partialLength;
  }

  /**
   * Drops what is held and the next line: the first line after a port opens may be cut. An
   * announcement inside that line (e.g. after boot-loader noise) is still returned, from its `#`,
   * because a board that resets on open prints it first and it cannot be a fragment.
   */
  discardPartial(): void {
    this.partialLength = 0;
    this.skipping = false;
    this.skipCounted = true;
    this.suspect = true;
  }

  /** Feeds bytes; returns the complete lines they finish, without line endings. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    const n = chunk.length;
    let pos = 0;
    while (pos < n) {
      const nl = chunk.indexOf(10, pos);
      if (nl < 0) {
        this.hold(chunk, pos, n);
        break;
      }
      if (this.skipping) {
        this.skipping = false;
        if (!this.skipCounted) this.countOverlong();
        this.skipCounted = true;
        this.suspect = false;
      } else if (this.partialLength === 0) {
        if (nl - pos > this.maxLineBytes) this.countOverlong();
        else this.emit(lines, chunk, pos, nl);
      } else if (this.partialLength + (nl - pos) > this.maxLineBytes) {
        this.partialLength = 0;
        this.countOverlong();
        this.suspect = false;
      } else {
        chunk.copy(this.partial, this.partialLength, pos, nl);
        const len = this.partialLength + (nl - pos);
        this.partialLength = 0;
        this.emit(lines, this.partial, 0, len);
      }
      pos = nl + 1;
    }
    return lines;
  }

  private emit(lines: string[], buf: Buffer, start: number, end: number): void {
    if (!this.suspect) {
      lines.push(decode(buf, start, end));
      return;
    }
    this.suspect = false;
    const at = buf.indexOf(ANNOUNCEMENT_BYTES, start);
    if (at >= 0 && at < end) lines.push(decode(buf, at, end));
  }

  private hold(chunk: Buffer, from: number, to: number): void {
    if (this.skipping) return;
    if (this.partialLength + (to - from) > this.maxLineBytes) {
      // Over-long already: forget it now and count it when its newline arrives.
      this.partialLength = 0;
      this.skipping = true;
      this.skipCounted = false;
      return;
    }
    chunk.copy(this.partial, this.partialLength, from, to);
    this.partialLength += to - from;
  }

  private countOverlong(): void {
    this.suspect = false;
    this.overlong++;
    if (this.onOverlong !== undefined) this.onOverlong();
  }
}

const ANNOUNCEMENT_BYTES = Buffer.from('# tinyml ', 'latin1');

function decode(buf: Buffer, start: number, end: number): string {
  if (end > start && buf[end - 1] === 13) end--;
  return buf.toString('utf8', start, end);
}
