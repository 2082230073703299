/**
 * The emulated-Uno harness (tools/uno-emulator/uno-emulator.c over libsimavr) compiled on demand
 * into build/uno-emulator/, rebuilt when the C source is newer than the binary.
 */
import fs from 'fs';
import path from 'path';
import { buildDir, packageRoot } from '../toolchain/build-paths';
import { runTool } from '../toolchain/run-tool';

let pending: Promise<string> | null = null;

export function unoEmulatorSource(): string {
  return path.join(packageRoot(), 'tools', 'uno-emulator', 'uno-emulator.c');
}

async function build(): Promise<string> {
  const source = unoEmulatorSource();
  const binary = path.join(buildDir('uno-emulator'), 'uno-emulator');
  if (fs.existsSync(binary) && fs.statSync(binary).mtimeMs >= fs.statSync(source).mtimeMs) return binary;
  // Compiled to a private name then renamed, so a concurrent user never runs a half-written file.
  const tmp = `${binary}.${process.pid}.tmp`;
  const res = await runTool('gcc', ['-O2', '-Wall', '-std=c99', '-o', tmp, source, '-lsimavr', '-lelf']);
  if (res.code !== 0) {
    fs.rmSync(tmp, { force: true });
    const missing = /simavr\/|lsimavr/.test(res.stderr) ? " (install 'libsimavr-dev libelf-dev')" : '';
    throw new Error(`could not build the emulated-Uno harness${missing}:\n${res.stderr.trim().split('\n').slice(0, 6).join('\n')}`);
  }
  fs.renameSync(tmp, binary);
  return binary;
}

/** Path of the harness binary, built first if needed. */
export function ensureUnoEmulator(): Promise<string> {
  if (!pending) {
    pending = build().catch((err: unknown) => {
      pending = null;
      throw err;
    });
  }
  return pending;
}
