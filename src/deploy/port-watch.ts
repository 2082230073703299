/**
 * Watches a serial port's device path while an uploader holds it: when a path that existed
 * disappears (USB board unplugged, emulator stopped), `onGone` is called once. avrdude does not
 * notice a vanished pseudo-terminal by itself; it retries until its own time limit.
 */
import fs from 'fs';

export interface PortWatch {
  /** True once the path that existed has disappeared. */
  readonly gone: boolean;
  stop(): void;
}

function exists(p: string): boolean {
  try {
    fs.statSync(p); // follows a symlink: a dangling link (emulator gone) counts as vanished
    return true;
  } catch {
    return false;
  }
}

/** Polls `portPath` every `intervalMs`; a path that never existed is not reported (the tool says it cannot open it). */
export function watchPort(portPath: string, onGone: () => void, intervalMs = 200): PortWatch {
  let seen = exists(portPath);
  let gone = false;
  const timer = setInterval(() => {
    const now = exists(portPath);
    if (seen && !now && !gone) {
      gone = true;
      clearInterval(timer);
      onGone();
    }
    seen ||= now;
  }, intervalMs);
  timer.unref();
  return {
    get gone() { return gone; },
    stop: () => clearInterval(timer),
  };
}
