/**
 * Model artifact + board -> the inference sketch folder `tinyml_infer/`: the template
 * (firmware/arduino/tinyml_infer), the generated headers (tml_infer_config.h, the feature tables,
 * the int8 model) and copies of the C feature code and int8 runtime, because Arduino builds only
 * the sketch folder and its libraries. Also used by `tinyml export --sketch DIR --board NAME`.
 */
import fs from 'fs';
import path from 'path';
import { getBoard, BoardProfile } from '../boards/profiles';
import { FeatureConfig, FeatureConfigError, planFeatures, FeaturePlan } from '../dsp/feature-pipeline';
import { Artifact, elements } from '../model/artifact';
import { packageRoot } from '../toolchain/build-paths';
import { generateCModel } from './c-model';
import { FEATURES_CONFIG_HEADER, generateFeatureHeader } from './c-features';
// A cycle (arduino-library imports this file) that CommonJS resolves: both use each other only at call time.
import { generateArduinoLibrary } from './arduino-library';

export const SKETCH_NAME = 'tinyml_infer';

/** Where the samples come from on the device. */
export type SketchSensor =
  | 'synthetic'
  | { analogPins: readonly string[] }
  | { imu: 'lsm9ds1' | 'bmi270'; gyro?: boolean };

export interface SketchOptions {
  /** Board profile id (uno, nano, emulated-uno, nano33ble, ...). */
  board: string;
  /** 'sensor' reads the sensor at the model's rate; 'hil' reads one sample per serial line. Default 'sensor'. */
  mode?: 'sensor' | 'hil';
  /** Sensor in 'sensor' mode; default 'synthetic' (nothing attached). */
  sensor?: SketchSensor;
  /** Samples between two windows, 1..window length; default the window length (no overlap). */
  strideSamples?: number;
  baud?: number;
}

export interface GeneratedSketch {
  /** The sketch folder (`<outDir>/tinyml_infer`). */
  dir: string;
  /** File names written into it. */
  files: string[];
  window: number;
  stride: number;
  axes: string[];
  mode: 'sensor' | 'hil';
  hash: string;
  /** Things the user should know (e.g. axis names that differ from the sensor's). */
  notes: string[];
}

export class SketchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SketchError';
  }
}

/** Characters kept as they are in result-line labels; others are percent-encoded (decoded by the parser). */
const LABEL_SAFE = /^[A-Za-z0-9_.:+-]$/;

/** A label as the sketch prints it: UTF-8 bytes outside [A-Za-z0-9_.:+-] as %XX, so the line stays key=value. */
export function encodeResultLabel(label: string): string {
  let out = '';
  for (const ch of label) {
    if (LABEL_SAFE.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out === '' ? '%00' : out;
}

export function templateDir(): string {
  return path.join(packageRoot(), 'firmware', 'arduino', SKETCH_NAME);
}

function firmwareDir(name: string): string {
  return path.join(packageRoot(), 'firmware', 'arduino', name);
}

function sensorAxes(sensor: SketchSensor): { axes: string[]; defines: string[] } {
  if (sensor === 'synthetic') return { axes: ['ax', 'ay', 'az'], defines: ['#define TML_SENSOR_SYNTHETIC 1'] };
  if ('analogPins' in sensor) {
    const pins = sensor.analogPins;
    const bad = pins.find((p) => !/^A[0-7]$/.test(p));
    if (pins.length === 0 || bad !== undefined) throw new SketchError(`analog pins must be A0..A7 (got '${bad ?? ''}')`);
    return { axes: pins.map((p) => p.toLowerCase()), defines: ['#define TML_SENSOR_ANALOG 1', `#define TML_ANALOG_PINS ${pins.join(',')}`] };
  }
  const axes = sensor.gyro ? ['ax', 'ay', 'az', 'gx', 'gy', 'gz'] : ['ax', 'ay', 'az'];
  const defines = [sensor.imu === 'lsm9ds1' ? '#define TML_SENSOR_LSM9DS1 1' : '#define TML_SENSOR_BMI270 1'];
  if (sensor.gyro) defines.push('#define TML_IMU_GYRO 1');
  return { axes, defines };
}

function cString(s: string): string {
  // Only printable ASCII without quote/backslash reaches here (validated), so this is exact.
  return `"${s}"`;
}

/** The plan of the model's features on the chip, or a SketchError saying why it cannot run there. */
export function sketchFeaturePlan(artifact: Artifact): FeaturePlan {
  const { window } = artifact.input;
  let plan: FeaturePlan;
  try {
    plan = planFeatures(artifact.input.features as FeatureConfig, { windowLength: window.length, axes: window.axes, rate: window.rateHz });
  } catch (e) {
    const detail = e instanceof FeatureConfigError ? e.problems.join('; ') : (e as Error).message;
    throw new SketchError(`model "${artifact.name}": its feature configuration cannot be compiled for the chip: ${detail}`);
  }
  const inputs = elements(artifact.input.shape);
  if (plan.names.length !== inputs) {
    throw new SketchError(`model "${artifact.name}": the features give ${plan.names.length} values but the model takes ${inputs}`);
  }
  return plan;
}

/** Checks everything the generator would refuse, without writing files. */
export function checkSketchOptions(artifact: Artifact, opts: SketchOptions): { board: BoardProfile; window: number; stride: number; mode: 'sensor' | 'hil' } {
  let board: BoardProfile;
  try {
    board = getBoard(opts.board);
  } catch (e) {
    throw new SketchError((e as Error).message);
  }
  if (!board.fqbn) throw new SketchError(`board '${board.id}' runs no firmware: choose a microcontroller board`);
  const window = artifact.input.window.length;
  if (window > 65_535) throw new SketchError(`model "${artifact.name}": a window of ${window} samples is more than the sketch counts (65535)`);
  const stride = opts.strideSamples ?? window;
  if (!Number.isInteger(stride) || stride < 1 || stride > window) {
    throw new SketchError(`the stride must be a whole number of samples from 1 to the window length ${window}, not ${stride}`);
  }
  const mode = opts.mode ?? 'sensor';
  if (mode !== 'sensor' && mode !== 'hil') throw new SketchError(`mode must be 'sensor' or 'hil', not '${String(mode)}'`);
  const baud = opts.baud ?? 115200;
  if (!Number.isInteger(baud) || baud < 300 || baud > 2_000_000) throw new SketchError(`baud rate ${baud} is not a serial speed`);
  if (!/^[0-9a-f]{64}$/.test(artifact.hash)) throw new SketchError(`model "${artifact.name}" has no valid hash: re-save it`);
  return { board, window, stride, mode };
}

/** Writes the inference sketch into `<outDir>/tinyml_infer/` (replacing that folder). */
export function generateInferenceSketch(artifact: Artifact, outDir: string, opts: SketchOptions): GeneratedSketch {
  const { board, window, stride, mode } = checkSketchOptions(artifact, opts);
  const plan = sketchFeaturePlan(artifact);
  const modelAxes = artifact.input.window.axes;
  const notes: string[] = [];
  const configLines: string[] = [];
  if (mode === 'hil') {
    configLines.push('#define TML_HIL 1');
  } else {
    const s = sensorAxes(opts.sensor ?? 'synthetic');
    if (s.axes.length !== modelAxes.length) {
      throw new SketchError(`model "${artifact.name}" takes ${modelAxes.length} axes (${modelAxes.join(', ')}) but the sensor gives ${s.axes.length} (${s.axes.join(', ')}): choose another sensor or use hardware-in-the-loop mode`);
    }
    if (s.axes.join(',') !== modelAxes.join(',')) notes.push(`the model's axes ${modelAxes.join(',')} are fed from the sensor's ${s.axes.join(',')} in that order`);
    configLines.push(...s.defines);
  }
  const rate = Math.max(1, Math.round(artifact.input.window.rateHz));
  if (mode === 'sensor' && rate !== artifact.input.window.rateHz) notes.push(`the sensor is read at ${rate} Hz (the model was trained at ${artifact.input.window.rateHz} Hz)`);
  if (rate > 10_000) throw new SketchError(`model "${artifact.name}": a rate of ${rate} Hz is more than the sketch samples (10000 Hz)`);
  const axesText = modelAxes.every((a) => /^[A-Za-z0-9_.-]{1,32}$/.test(a)) ? modelAxes.join(',') : modelAxes.map((_, i) => `a${i}`).join(',');
  const model = generateCModel(artifact);
  const labels = artifact.labels.map(encodeResultLabel);
  const outputs = elements(artifact.output.shape);
  if (outputs > 255) throw new SketchError(`model "${artifact.name}" has ${outputs} outputs; the sketch prints at most 255`);

  const config = [
    `/* Generated by TinyML Flow (src/codegen/sketch.ts) for model "${artifact.name.replace(/\*\//g, '* /')}" on ${board.id}. Do not edit. */`,
    '#ifndef TML_INFER_CONFIG_H',
    '#define TML_INFER_CONFIG_H',
    '',
    '#include <stdint.h>',
    ...configLines,
    `#define TML_BOARD ${cString(board.id)}`,
    `#define TML_BAUD ${opts.baud ?? 115200}`,
    `#define TML_RATE_HZ ${rate}`,
    `#define TML_WINDOW ${window}`,
    `#define TML_STRIDE ${stride}`,
    `#define TML_AXIS_COUNT ${modelAxes.length}`,
    `#define TML_AXES ${cString(axesText)}`,
    `#define TML_HASH ${cString(artifact.hash)}`,
    `#define TML_OUTPUTS ${outputs}`,
    `#define TML_LABEL_COUNT ${labels.length}`,
    '',
    `#include "${model.fileName}"`,
    `#define TML_MODEL ${model.symbol}`,
    `#define TML_MODEL_BUF_A ${model.bufASize}`,
    `#define TML_MODEL_BUF_B ${model.bufBSize}`,
    '',
    '/* Labels as printed in result lines (bytes outside [A-Za-z0-9_.:+-] as %XX). */',
    ...labels.map((l, i) => `static const char tml_label_${i}[] TML_PROGMEM = ${cString(l)};`),
    `static const char *const tml_labels[${Math.max(1, labels.length)}] TML_PROGMEM = {${labels.length ? labels.map((_, i) => `tml_label_${i}`).join(', ') : '0'}};`,
    '',
    '#endif',
    '',
  ].join('\n');

  const dir = path.join(outDir, SKETCH_NAME);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, text: string): void => {
    fs.writeFileSync(path.join(dir, name), text);
    files.push(name);
  };
  for (const name of fs.readdirSync(templateDir()).sort()) {
    if (/\.(ino|h)$/.test(name)) write(name, fs.readFileSync(path.join(templateDir(), name), 'utf8'));
  }
  for (const name of ['tml_sensor.h', 'tml_synthetic.h', 'tml_line_format.h']) write(name, fs.readFileSync(path.join(firmwareDir('tinyml_capture'), name), 'utf8'));
  const runtime = firmwareDir('tinyml_runtime');
  for (const name of fs.readdirSync(runtime).sort()) {
    if (/\.[ch]$/.test(name)) write(name, fs.readFileSync(path.join(runtime, name), 'utf8'));
  }
  // tml_dsp.c and tml_runtime's tml_quantize.c both define an extern `tml_quantize_input` with
  // different signatures; the sketch links both, so the DSP one is renamed in its copy.
  const dsp = firmwareDir('tinyml_dsp');
  for (const name of ['tml_dsp.h', 'tml_dsp.c', 'tml_features.h', 'tml_features.c']) {
    write(name, fs.readFileSync(path.join(dsp, name), 'utf8').replace(/\btml_quantize_input\b/g, 'tml_dsp_quantize_input'));
  }
  write(FEATURES_CONFIG_HEADER, generateFeatureHeader(plan));
  write(model.fileName, model.source);
  write('tml_infer_config.h', config);
  return { dir, files, window, stride, axes: modelAxes.slice(), mode, hash: artifact.hash, notes };
}

/**
 * For `tinyml export MODEL --sketch DIR --board NAME`: writes `DIR/tinyml_infer/` (open it in the
 * Arduino IDE or build it with arduino-cli) and the same as a library, `DIR/TinyMLFlow_<model>/`.
 * Returns the folders written. Throws SketchError with a message naming the problem.
 */
export function exportSketch(artifact: Artifact, dir: string, opts: SketchOptions): { sketchDir: string; libraryDir: string; notes: string[] } {
  const sketch = generateInferenceSketch(artifact, dir, opts);
  const lib = generateArduinoLibrary(artifact, dir, opts);
  return { sketchDir: sketch.dir, libraryDir: lib.dir, notes: sketch.notes };
}
