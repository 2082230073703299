/**
 * A real Node-RED process with this pack linked in, on a free loopback port, in a fresh user directory:
 * what a user gets after `npm start`, for end-to-end and browser tests.
 */
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';

interface UserDirScript {
  prepareUserDir(userDir: string, opts: { port: number; flowsFrom?: string; replayDirs?: string[] }): string;
  nodeRedScript(): string;
  root: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const userDirScript = require(path.resolve(__dirname, '..', '..', '..', 'scripts', 'user-dir.js')) as UserDirScript;

export const repoRoot = userDirScript.root;

export interface NodeRedProcess {
  url: string;
  userDir: string;
  log: () => string;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startNodeRed(opts: { flowsFrom?: string; replayDirs?: string[]; timeoutMs?: number } = {}): Promise<NodeRedProcess> {
  const port = await freePort();
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-nr-'));
  const settings = userDirScript.prepareUserDir(userDir, { port, flowsFrom: opts.flowsFrom, replayDirs: opts.replayDirs });
  const child: ChildProcess = spawn(process.execPath, [userDirScript.nodeRedScript(), '--userDir', userDir, '--settings', settings], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => { output += c.toString(); });
  child.stderr?.on('data', (c: Buffer) => { output += c.toString(); });
  const deadline = Date.now() + (opts.timeoutMs ?? 30000);
  while (!/Server now running/.test(output)) {
    if (child.exitCode !== null) throw new Error(`Node-RED exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Node-RED did not start within the time limit:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    userDir,
    log: () => output,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => {
        fs.rmSync(userDir, { recursive: true, force: true });
        resolve();
      });
      child.kill('SIGTERM');
    }),
  };
}
