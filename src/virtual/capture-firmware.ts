/**
 * The pack's capture sketch (firmware/arduino/tinyml_capture) built for the Uno: the firmware an
 * emulated Uno runs by default, and what a user flashes on a real board with nothing else.
 */
import path from 'path';
import { AvrBoardId, AvrBuildResult, buildSketch } from '../toolchain/avr-build';
import { packageRoot } from '../toolchain/build-paths';

export function captureSketchDir(): string {
  return path.join(packageRoot(), 'firmware', 'arduino', 'tinyml_capture');
}

export interface CaptureFirmwareOptions {
  board?: AvrBoardId;
  /** Samples per second (integer); default 100. */
  rateHz?: number;
  /** 'synthetic' (default: nothing attached) or analog pins such as ['A0', 'A1']. */
  sensor?: 'synthetic' | { analogPins: readonly string[] };
  buildDir?: string;
}

export async function buildCaptureFirmware(opts: CaptureFirmwareOptions = {}): Promise<AvrBuildResult> {
  const rate = opts.rateHz ?? 100;
  if (!Number.isInteger(rate) || rate < 1 || rate > 10_000) {
    throw new Error(`the capture sketch's rate must be an integer from 1 to 10000 Hz, not ${rate}`);
  }
  const defines: Record<string, string | number | boolean> = { TML_RATE_HZ: rate };
  const sensor = opts.sensor ?? 'synthetic';
  if (sensor === 'synthetic') {
    defines.TML_SENSOR_SYNTHETIC = true;
  } else {
    const bad = sensor.analogPins.find((p) => !/^A[0-7]$/.test(p));
    if (bad !== undefined || sensor.analogPins.length === 0) {
      throw new Error(`analog pins must be A0..A7 (got '${bad ?? ''}')`);
    }
    defines.TML_SENSOR_ANALOG = true;
    defines.TML_ANALOG_PINS = sensor.analogPins.join(',');
  }
  return buildSketch(captureSketchDir(), { board: opts.board ?? 'uno', defines, buildDir: opts.buildDir });
}
