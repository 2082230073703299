/**
 * Reconnect delays: the first retry comes quickly (a board being re-plugged is usually back
 * within a second), then the delay doubles up to a cap so an absent port costs almost nothing.
 */
export interface BackoffOptions {
  /** First delay in ms (default 250: the first retry lands well within 1 s). */
  initialMs?: number;
  /** Largest delay in ms (default 5000). */
  maxMs?: number;
  factor?: number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private attempt = 0;

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 250;
    this.maxMs = opts.maxMs ?? 5000;
    this.factor = opts.factor ?? 2;
    if (!(this.initialMs > 0) || !(this.maxMs >= this.initialMs) || !(this.factor >= 1)) {
      throw new Error(`backoff: need 0 < initialMs <= maxMs and factor >= 1 (got ${this.initialMs}, ${this.maxMs}, ${this.factor})`);
    }
  }

  /** The delay before the next attempt; each call lengthens the following one. */
  next(): number {
    const d = Math.min(this.maxMs, this.initialMs * Math.pow(this.factor, this.attempt));
    this.attempt++;
    return d;
  }

  /** After a success: the next failure retries quickly again. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
