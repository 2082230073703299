/**
 * A virtual board: a process or in-process device that exposes a serial path (a pseudo-terminal)
 * which the serial pool opens exactly like a real port. The replay board and the emulated Uno
 * both implement this, so capture, deploy and tests take the same code path as with hardware.
 */
export interface VirtualDevice {
  /** Starts the device; resolves with the serial path to open (stable across restarts when a link path was given). */
  start(): Promise<string>;
  /** Stops the device and removes its path; resolves when everything is released. */
  stop(): Promise<void>;
  /** The path while running, else null. */
  readonly path: string | null;
}
