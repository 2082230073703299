/**
 * Tests that need an external tool call `requireTool` first: when the tool is missing the test
 * fails with the Debian package to install (CI installs them all in .ci/run; nothing is skipped).
 */
import { execFileSync } from 'child_process';

export function hasTool(command: string): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function requireTool(command: string, debianPackage: string): void {
  if (!hasTool(command)) {
    throw new Error(`this test needs '${command}': install it with 'apt-get install ${debianPackage}' (.ci/run does)`);
  }
}
