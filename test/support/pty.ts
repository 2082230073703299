/**
 * Pseudo-terminal pairs for tests: a "device" end the test drives and a linked path the code
 * under test opens like a real serial port. Built on tools/pty-bridge.py (python3), which also
 * tells when the host side opens/closes the port. `socatPair` makes a plain socat link pair.
 */
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PtyBridge } from '../../src/virtual/pty-bridge';
import { requireTool } from './tools';
import { waitFor } from './wait-for';

/** A fresh temporary folder (removed by `removeTempDir`). */
export function makeTempDir(prefix = 'tinyml-pty-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A virtual device at `link`: write() sends device output, events report host opens/closes. */
export async function makeDevice(link: string): Promise<PtyBridge> {
  requireTool('python3', 'python3');
  const bridge = new PtyBridge({ link });
  await bridge.start();
  return bridge;
}

export interface SocatPair {
  /** The two linked paths: bytes written to one are read from the other. */
  a: string;
  b: string;
  /** Ends socat (SIGTERM: socat removes its links) and waits for it. */
  close(): Promise<void>;
}

/** `socat pty,raw,echo=0,link=A pty,raw,echo=0,link=B`, resolved once both links exist. */
export async function socatPair(dir: string, name = 'pair'): Promise<SocatPair> {
  requireTool('socat', 'socat');
  const a = path.join(dir, `${name}-a`);
  const b = path.join(dir, `${name}-b`);
  const child: ChildProcess = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  await waitFor(() => fs.existsSync(a) && fs.existsSync(b), 5000, 'socat links');
  return {
    a, b,
    close: async () => { child.kill('SIGTERM'); await exited; },
  };
}

// Kept here too: the serial tests import it with the pty helpers.
export { waitFor };

/** Open file descriptors of this process (Linux), for leak checks. */
export function openFdCount(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

/** Descriptors of this process that point at ptys (/dev/pts/N or /dev/ptmx). */
export function openPtyFds(): string[] {
  const out: string[] = [];
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith('/dev/pts/') || target === '/dev/ptmx') out.push(target);
    } catch {
      // closed while listing
    }
  }
  return out;
}
