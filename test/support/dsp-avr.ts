/**
 * Builds the C twin of the feature pipeline for the ATmega328P (avr-gcc, -Os as the Arduino core
 * does) with input windows in flash, runs it on simavr and reads the features it prints on UART0.
 */
import { execFile, execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { generateFeatureHeader, FEATURES_CONFIG_HEADER } from '../../src/codegen/c-features';
import type { FeaturePlan } from '../../src/dsp/feature-pipeline';
import { float32FromBits, hexFloat32 } from '../../src/dsp/float32';
import { DSP_C_DIR, dspBuildDir } from './dsp-host';
import { requireTool } from './tools';

export interface AvrFeatureRun {
  /** sizeof(tml_features_state) on the AVR */
  stateBytes: number;
  features: Float32Array[];
  /** Timer1 ticks (clk/256 = 16 us at 16 MHz) of the last window: reset + pushes + finish */
  lastWindowMicros: number;
  /** .text + .data (flash) and .data + .bss (static RAM) of the test program */
  size: { text: number; data: number; bss: number };
}

const ESC = String.fromCharCode(27);

/** simavr's UART0 echo: green chunks of at most 256 characters per stderr line, newlines shown as '.'. */
function uartText(stderr: string): string {
  return stderr.split('\n').map((l) => (l.startsWith(`${ESC}[0m`) ? l.slice(4) : l)).filter((l) => l.startsWith(`${ESC}[32m`)).map((l) => l.slice(5)).join('');
}

function windowsHeader(plan: FeaturePlan, windows: readonly (readonly number[])[][]): string {
  const rows = windows.map((w) => '  {\n' + w.map((r) => `    {${r.map((v) => hexFloat32(v)).join(', ')}}`).join(',\n') + '\n  }');
  return `#define TML_AVR_WINDOWS ${windows.length}\nstatic const float tml_avr_input[TML_AVR_WINDOWS][${plan.shape.windowLength}][${plan.shape.axes.length}] PROGMEM = {\n${rows.join(',\n')}\n};\n`;
}

export function buildAvrFeatures(plan: FeaturePlan, windows: readonly (readonly number[])[][]): { elf: string; size: AvrFeatureRun['size'] } {
  requireTool('avr-gcc', 'gcc-avr avr-libc');
  const header = generateFeatureHeader(plan);
  const input = windowsHeader(plan, windows);
  const sources = ['tml_dsp.c', 'tml_features.c', 'host/tml_features_avr.c'].map((f) => path.join(DSP_C_DIR, f));
  const headers = ['tml_dsp.h', 'tml_features.h'].map((f) => path.join(DSP_C_DIR, f));
  const dir = dspBuildDir('avr', header + input + [...sources, ...headers].map((f) => fs.readFileSync(f, 'utf8')).join(''));
  const elf = path.join(dir, 'tml_features.elf');
  if (!fs.existsSync(elf)) {
    fs.writeFileSync(path.join(dir, FEATURES_CONFIG_HEADER), header);
    fs.writeFileSync(path.join(dir, 'tml_avr_windows.h'), input);
    execFileSync('avr-gcc', ['-mmcu=atmega328p', '-DF_CPU=16000000UL', '-std=gnu99', '-Os', '-Wall', '-Wextra', '-Werror',
      '-ffunction-sections', '-fdata-sections', '-Wl,--gc-sections', '-I', dir, '-I', DSP_C_DIR, '-o', elf + '.tmp', ...sources], { stdio: ['ignore', 'inherit', 'inherit'] });
    fs.renameSync(elf + '.tmp', elf);
  }
  const sizeOut = execFileSync('avr-size', ['-A', elf]).toString();
  const sec = (name: string): number => Number((new RegExp(`^\\${name}\\s+(\\d+)`, 'm').exec(sizeOut) ?? [])[1] ?? 0);
  return { elf, size: { text: sec('.text'), data: sec('.data'), bss: sec('.bss') } };
}

/** Runs the program on simavr (ATmega328P, 16 MHz); simavr prints UART0 on stderr. */
export function runAvrFeatures(plan: FeaturePlan, windows: readonly (readonly number[])[][]): Promise<AvrFeatureRun> {
  requireTool('simavr', 'simavr');
  const { elf, size } = buildAvrFeatures(plan, windows);
  return new Promise((resolve, reject) => {
    execFile('simavr', ['-m', 'atmega328p', '-f', '16000000', elf], { timeout: 300000, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`simavr failed on ${elf}: ${err.message}\n${stderr.slice(-2000)}`));
      // simavr 1.6 echoes UART0 on stderr in green chunks of at most 256 characters per line,
      // each of our newlines shown as '.': join the green chunks, then split on '.'
      const text = uartText(stderr);
      const lines = text.split('.').map((l) => l.trim());
      const stateLine = lines.find((l) => l.startsWith('S '));
      const cLine = lines.find((l) => l.startsWith('C '));
      const features = lines.filter((l) => l.startsWith('W ')).map((l) => {
        const hex = l.slice(2);
        const out = new Float32Array(hex.length / 8);
        for (let i = 0; i < out.length; i++) out[i] = float32FromBits(parseInt(hex.slice(i * 8, i * 8 + 8), 16));
        return out;
      });
      if (!stateLine || !cLine || features.length !== windows.length) {
        return reject(new Error(`the AVR program printed ${features.length} of ${windows.length} windows; simavr printed:\n${stderr.slice(0, 3000)}`));
      }
      resolve({ stateBytes: Number(stateLine.slice(2)), features, lastWindowMicros: Number(cLine.slice(2)) * 16, size });
    });
  });
}

export interface AvrOpsRow {
  add: number;
  sub: number;
  mul: number;
  div: number;
  sqrt: number;
  log10: number;
  round: number;
  quantized: number;
}

/** Runs avr-libc's float +, -, *, / and the DSP math twins on simavr over operand pairs. */
export function runAvrFloatOps(pairs: ReadonlyArray<readonly [number, number]>): Promise<AvrOpsRow[]> {
  requireTool('avr-gcc', 'gcc-avr avr-libc');
  requireTool('simavr', 'simavr');
  const header = `#define TML_AVR_PAIRS ${pairs.length}\nstatic const float tml_avr_operands[TML_AVR_PAIRS][2] PROGMEM = {\n${pairs.map(([a, b]) => `  {${hexFloat32(a)}, ${hexFloat32(b)}}`).join(',\n')}\n};\n`;
  const sources = ['tml_dsp.c', 'host/tml_float_ops_avr.c'].map((f) => path.join(DSP_C_DIR, f));
  const dir = dspBuildDir('avr-ops', header + [...sources, path.join(DSP_C_DIR, 'tml_dsp.h')].map((f) => fs.readFileSync(f, 'utf8')).join(''));
  const elf = path.join(dir, 'tml_float_ops.elf');
  if (!fs.existsSync(elf)) {
    fs.writeFileSync(path.join(dir, 'tml_avr_operands.h'), header);
    execFileSync('avr-gcc', ['-mmcu=atmega328p', '-DF_CPU=16000000UL', '-std=gnu99', '-Os', '-Wall', '-Wextra', '-Werror', '-I', dir, '-I', DSP_C_DIR, '-o', elf + '.tmp', ...sources], { stdio: ['ignore', 'inherit', 'inherit'] });
    fs.renameSync(elf + '.tmp', elf);
  }
  return new Promise((resolve, reject) => {
    execFile('simavr', ['-m', 'atmega328p', '-f', '16000000', elf], { timeout: 300000, maxBuffer: 1 << 26 }, (err, _stdout, stderr) => {
      if (err) return reject(new Error(`simavr failed on ${elf}: ${err.message}`));
      const text = uartText(stderr);
      const rows = text.split('.').map((l) => l.trim()).filter((l) => l.startsWith('O ')).map((l) => {
        const v = (i: number): number => parseInt(l.slice(2 + i * 8, 10 + i * 8), 16);
        return { add: float32FromBits(v(0)), sub: float32FromBits(v(1)), mul: float32FromBits(v(2)), div: float32FromBits(v(3)), sqrt: float32FromBits(v(4)), log10: float32FromBits(v(5)), round: v(6) | 0, quantized: v(7) | 0 };
      });
      if (rows.length !== pairs.length) return reject(new Error(`the AVR probe printed ${rows.length} of ${pairs.length} rows`));
      resolve(rows);
    });
  });
}
