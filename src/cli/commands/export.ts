/**
 * `tinyml export MODEL [--c DIR] [--tflite FILE] [--sketch DIR --board NAME]`: the model as a C
 * header for the portable runtime and/or a .tflite flatbuffer, and/or the inference sketch for a board
 * with the same as an Arduino library folder (src/codegen/sketch.ts exportSketch).
 */
import fs from 'fs';
import path from 'path';
import { UsageError } from '../main';
import { generateCModel } from '../../codegen/c-model';
import { writeTflite } from '../../codegen/tflite-writer';
import { exportSketch, SketchError } from '../../codegen/sketch';
import { loadModel } from './eval';

const USAGE = 'usage: tinyml export MODEL [--c DIR] [--tflite FILE] [--tflite-float-io] [--sketch DIR --board NAME]';

export async function exportCommand(args: string[], out: NodeJS.WritableStream): Promise<void> {
  const positional: string[] = [];
  const opts: Record<string, string> = {};
  let floatIo = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--tflite-float-io') floatIo = true;
    else if (['--c', '--tflite', '--sketch', '--board'].includes(a)) {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value; ${USAGE}`);
      opts[a.slice(2)] = v;
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}; ${USAGE}`);
    else positional.push(a);
  }
  if (positional.length !== 1) throw new UsageError(USAGE);
  if (opts.sketch !== undefined && opts.board === undefined) throw new UsageError(`export --sketch needs --board NAME (e.g. uno); ${USAGE}`);
  if (opts.board !== undefined && opts.sketch === undefined) throw new UsageError(`export --board goes with --sketch DIR; ${USAGE}`);
  if (opts.c === undefined && opts.tflite === undefined && opts.sketch === undefined) throw new UsageError(`nothing to export: give --c DIR, --tflite FILE and/or --sketch DIR --board NAME; ${USAGE}`);
  const artifact = loadModel(positional[0]);
  if (opts.c !== undefined) {
    const header = generateCModel(artifact);
    fs.mkdirSync(opts.c, { recursive: true });
    const file = path.join(opts.c, header.fileName);
    fs.writeFileSync(file, header.source);
    out.write(`${file}\n`);
  }
  if (opts.tflite !== undefined) {
    const bytes = writeTflite(artifact, { floatInput: floatIo, floatOutput: floatIo });
    fs.mkdirSync(path.dirname(path.resolve(opts.tflite)), { recursive: true });
    fs.writeFileSync(opts.tflite, bytes);
    out.write(`${opts.tflite}\n`);
  }
  if (opts.sketch !== undefined && opts.board !== undefined) {
    let written;
    try {
      written = exportSketch(artifact, opts.sketch, { board: opts.board });
    } catch (e) {
      if (e instanceof SketchError) throw new UsageError(`export --sketch: ${e.message}`);
      throw e;
    }
    out.write(`${written.sketchDir}\n${written.libraryDir}\n`);
  }
}
