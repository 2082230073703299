#!/usr/bin/env node
/*
 * Runs a .tflite model with TensorFlow Lite compiled to WebAssembly (@tensorflow/tfjs-tflite),
 * an independent reader of our exported models. Usage:
 *   node tfjs_tflite_run.js MODEL.tflite IN_DIR OUT_DIR [MODEL IN_DIR OUT_DIR ...]
 * reads IN_DIR/<n>.in.bin (raw bytes of the input tensor) for every n, writes OUT_DIR/<n>.out.bin,
 * for each (model, in, out) triple in turn.
 * The library expects a browser worker: this script sets the few globals it reads, so it must
 * run in its own process. It forces the non-threaded SIMD build (Node workers cannot load blob URLs).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const jobs = process.argv.slice(2);
if (jobs.length === 0 || jobs.length % 3 !== 0) {
  process.stderr.write('usage: tfjs_tflite_run.js MODEL.tflite IN_DIR OUT_DIR [MODEL IN_DIR OUT_DIR ...]\n');
  process.exit(1);
}

const pkgDir = path.dirname(require.resolve('@tensorflow/tfjs-tflite/package.json'));
const wasmDir = path.join(pkgDir, 'wasm');

// Worker-like globals: `window` stays undefined so the loader takes its importScripts path.
globalThis.self = globalThis;
globalThis.location = { href: 'file:///', origin: '' };
if (typeof globalThis.navigator === 'undefined') globalThis.navigator = { hardwareConcurrency: 2, userAgent: 'node' };
// The multithreading probe posts a SharedArrayBuffer through a MessageChannel: make it fail.
globalThis.MessageChannel = class { constructor() { throw new Error('no threads here'); } };
globalThis.importScripts = (url) => {
  const file = url.startsWith('file://') ? url.slice(7) : url;
  vm.runInThisContext(fs.readFileSync(file, 'utf8'), { filename: file });
  const factory = globalThis.tflite_web_api_ModuleFactory;
  if (typeof factory === 'function' && !factory.wrapped) {
    const wasmFile = file.replace(/\.js$/, '.wasm');
    const wrapped = (opts) => factory({ ...opts, wasmBinary: fs.readFileSync(wasmFile) });
    wrapped.wrapped = true;
    globalThis.tflite_web_api_ModuleFactory = wrapped;
  }
};

async function runOne(tflite, modelPath, inDir, outDir) {
  const bytes = fs.readFileSync(modelPath);
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const model = await tflite.loadTFLiteModel(ab, { numThreads: 1 });
  const runner = model.modelRunner;
  const names = fs.readdirSync(inDir).filter((f) => f.endsWith('.in.bin')).sort();
  fs.mkdirSync(outDir, { recursive: true });
  for (const name of names) {
    const input = runner.getInputs()[0];
    const data = input.data();
    const raw = fs.readFileSync(path.join(inDir, name));
    const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (raw.length !== view.length) throw new Error(`${name}: ${raw.length} bytes, the model input holds ${view.length}`);
    view.set(raw);
    if (!runner.infer()) throw new Error(`${name}: inference failed`);
    const out = runner.getOutputs()[0].data();
    fs.writeFileSync(path.join(outDir, name.replace('.in.bin', '.out.bin')), Buffer.from(out.buffer, out.byteOffset, out.byteLength));
  }
  process.stdout.write(`${path.basename(modelPath)}: ran ${names.length} inputs\n`);
}

async function main() {
  const tflite = require('@tensorflow/tfjs-tflite');
  tflite.setWasmPath(wasmDir + '/');
  for (let i = 0; i < jobs.length; i += 3) await runOne(tflite, jobs[i], jobs[i + 1], jobs[i + 2]);
}

main().then(() => process.exit(0), (e) => {
  process.stderr.write(`tfjs-tflite: ${e && e.stack ? e.stack : e}\n`);
  process.exit(2);
});
