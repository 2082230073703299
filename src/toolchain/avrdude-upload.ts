/**
 * Uploads a .hex to an AVR board through its bootloader with avrdude (STK500v1 "arduino"
 * protocol, as the Arduino IDE does for the Uno), writing and verifying the flash.
 */
import { runTool } from './run-tool';

export interface AvrdudeUploadOptions {
  /** avrdude part id; default 'm328p'. */
  part?: string;
  /** Default 115200 (optiboot on the Uno); 57600 for old Nano bootloaders. */
  baud?: number;
  timeoutMs?: number;
  /** Stops avrdude (e.g. the port vanished: it would otherwise retry until its timeout). */
  signal?: AbortSignal;
}

export interface AvrdudeUploadResult {
  /** Bytes of flash written and verified. */
  bytes: number;
  log: string;
}

export async function uploadWithAvrdude(hexPath: string, port: string, opts: AvrdudeUploadOptions = {}): Promise<AvrdudeUploadResult> {
  const res = await runTool(
    'avrdude',
    ['-c', 'arduino', '-p', opts.part ?? 'm328p', '-P', port, '-b', String(opts.baud ?? 115200), '-D', '-U', `flash:w:${hexPath}:i`],
    { timeoutMs: opts.timeoutMs ?? 60_000, signal: opts.signal },
  );
  const log = res.stderr + res.stdout;
  const verified = /(\d+) bytes of flash verified/.exec(log);
  if (res.code !== 0 || !verified) {
    // avrdude's TIOCMGET warnings on a pty are harmless: show the lines that say what failed.
    const reason = log.split('\n').filter((l) => /error|not in sync|not respond|mismatch|can't open|cannot/i.test(l) && !/TIOCM/.test(l));
    throw new Error(`upload to '${port}' failed (avrdude status ${res.code}): ${reason.slice(0, 3).join('; ') || log.trim().split('\n').slice(-3).join('; ')}`);
  }
  return { bytes: Number(verified[1]), log };
}
