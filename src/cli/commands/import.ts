/**
 * `tinyml import FILE.csv --out DATASET ...`: long-format CSV -> dataset of raw recordings.
 */
import { UsageError } from '../main';

export async function importCommand(args: string[], _out: NodeJS.WritableStream): Promise<void> {
  if (args.length === 0) throw new UsageError('usage: tinyml import FILE.csv --out DATASET [--label COL] [--segment COL[,COL...]] [--axes COL,...] [--rate HZ] [--time COL]');
  throw new UsageError('import: not implemented yet');
}
