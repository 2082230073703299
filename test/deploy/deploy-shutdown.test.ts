/**
 * Node-RED stopping (SIGTERM) while the deploy node uploads: no avrdude outlives Node-RED. The node's close handler
 * stops the uploader itself; in this run avrdude also ends on its own once the emulator's port goes, so this guards the
 * outcome rather than isolating the handler (avrdude processes left spinning were seen after browser-test runs).
 * A real Node-RED process with this pack, an emulated-uno board, and an inject that deploys at start.
 */
import assert from 'assert';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { requireAvrTools } from '../support/emulator';
import { startNodeRed } from '../support/node-red-process';
import { waitFor } from '../support/pty';
import { requireTool } from '../support/tools';
import { deployTestModel } from './deploy-fixtures';

/** avrdude processes whose command line mentions `fragment`, from /proc (Linux). */
function uploaders(fragment: string): number[] {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return path.basename(cmd[0]) === 'avrdude' && cmd.some((a) => a.includes(fragment));
    } catch {
      return false;
    }
  }).map(Number);
}

describe('tinyml-deploy when Node-RED stops during an upload', function () {
  this.timeout(180_000);

  it('stops the uploader with the node: no avrdude outlives Node-RED', async () => {
    requireAvrTools();
    requireTool('avrdude', 'avrdude');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tml-deploy-stop-'));
    const flows = path.join(dir, 'flows.json');
    fs.writeFileSync(flows, JSON.stringify([
      { id: 'tab', type: 'tab', label: 'deploy' },
      { id: 'b', type: 'tinyml-board', name: 'uno', boardType: 'emulated-uno', baud: 115200 },
      {
        id: 'i', type: 'inject', z: 'tab', once: true, onceDelay: 2, repeat: '', topic: '',
        props: [{ p: 'model', v: JSON.stringify(deployTestModel()), vt: 'json' }], wires: [['d']],
      },
      { id: 'd', type: 'tinyml-deploy', z: 'tab', board: 'b', mode: 'hil', stride: '16', wires: [[], []] },
    ]));
    const red = await startNodeRed({ flowsFrom: flows });
    try {
      await waitFor(() => uploaders(red.userDir).length > 0, 120_000, 'the upload started');
    } finally {
      await red.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepStrictEqual(uploaders(red.userDir), [], 'no avrdude left running');
  });
});
