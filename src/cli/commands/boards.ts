/**
 * `tinyml boards [--json]`: the board profiles, and for each which installed toolchain can build
 * and upload for it (arduino-cli with the board's core, or Debian's AVR toolchain).
 */
import { listBoards } from '../../boards/profiles';
import { ArduinoCliDriver } from '../../toolchain/arduino-cli';
import { DebianAvrDriver } from '../../toolchain/debian-avr';
import { ToolchainDriver } from '../../toolchain/driver';

export interface BoardToolchains {
  id: string;
  label: string;
  mcu: string;
  fqbn: string;
  sramBytes: number;
  flashBytes: number;
  virtual: boolean;
  /** The driver deploy would use, or null when nothing installed builds for the board. */
  buildWith: string | null;
  toolchains: { driver: string; ok: boolean; reason?: string }[];
}

export async function boardToolchains(drivers: readonly ToolchainDriver[] = [new ArduinoCliDriver(), new DebianAvrDriver()]): Promise<{ boards: BoardToolchains[]; drivers: { driver: string; installed: boolean; detail: string }[] }> {
  const statuses = await Promise.all(drivers.map((d) => d.status()));
  const boards: BoardToolchains[] = [];
  for (const b of listBoards()) {
    const toolchains = b.fqbn === '' ? [] : await Promise.all(drivers.map(async (d) => ({ driver: d.id, ...(await d.supports(b)) })));
    boards.push({
      id: b.id, label: b.label, mcu: b.mcu, fqbn: b.fqbn, sramBytes: b.sramBytes, flashBytes: b.flashBytes, virtual: b.virtual,
      buildWith: toolchains.find((t) => t.ok)?.driver ?? null, toolchains,
    });
  }
  return { boards, drivers: statuses };
}

export async function boardsCommand(args: string[], out: NodeJS.WritableStream): Promise<void> {
  const { boards, drivers } = await boardToolchains();
  if (args.includes('--json')) {
    // An array of boards (the contract of the earlier inline command), each with its toolchains.
    out.write(JSON.stringify(boards, null, 2) + '\n');
    return;
  }
  for (const b of boards) {
    const build = b.fqbn === '' ? 'no firmware (virtual)' : b.buildWith ? `builds with ${b.buildWith}` : `cannot build here: ${b.toolchains.map((t) => t.reason).join('; ')}`;
    out.write(`${b.id.padEnd(14)} ${b.label.padEnd(34)} ${build}\n`);
  }
  for (const d of drivers) out.write(`toolchain ${d.driver}: ${d.installed ? 'installed' : 'not installed'} (${d.detail})\n`);
}
