/**
 * The `tinyml` command line: the same engine as the nodes, for scripts and CI pipelines.
 * Exit status: 0 success, 1 user error (one line naming the problem), 2 internal fault.
 */
import { importCommand } from './commands/import';
import { evalCommand } from './commands/eval';
import { exportCommand } from './commands/export';
import { trainCommand } from './commands/train';
import { boardsCommand } from './commands/boards';
import { deployCommand } from './commands/deploy';

export class UsageError extends Error {}

/** A command writes results to `out` and progress to `err`. */
type Command = (args: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  import: importCommand,
  train: trainCommand,
  eval: evalCommand,
  export: exportCommand,
  deploy: deployCommand,
  boards: boardsCommand,
};

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? COMMANDS[name] : undefined;
  try {
    if (!command) throw new UsageError(`usage: tinyml <${Object.keys(COMMANDS).join('|')}> [options]`);
    await command(rest, out, err);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`tinyml: ${e.message}\n`);
      return 1;
    }
    err.write(`tinyml: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 2;
  }
}
