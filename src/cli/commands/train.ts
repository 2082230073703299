/**
 * `tinyml train DATASET --out MODEL ...`: trains, quantizes to int8 and writes the model artifact.
 */
import { UsageError } from '../main';

export async function trainCommand(args: string[], out: NodeJS.WritableStream): Promise<void> {
  void out;
  throw new UsageError(`train: not available yet (${args.length} arguments)`);
}
