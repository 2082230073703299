import assert from 'assert';
import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');

interface Check { test: boolean; [key: string]: unknown }

/** Runs the Flow Library scorecard on the package folder, offline (see scorecard-offline.ts). */
function validate(dir: string): Promise<{ out: string; scorecard: Record<string, Check> }> {
  const outFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tinyml-scorecard-')), 'scorecard.json');
  const cli = path.join(path.dirname(require.resolve('node-red-dev/package.json')), 'bin', 'run');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--require', path.join(__dirname, 'scorecard-offline.js'), cli, 'validate', '-p', dir, '-o', outFile],
      { cwd: dir, timeout: 120000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
      (err, stdout, stderr) => {
        const out = `${stdout}${stderr}`;
        if (!fs.existsSync(outFile)) return reject(new Error(`node-red-dev wrote no scorecard (${err?.message ?? 'exit 0'}):\n${out}`));
        resolve({ out, scorecard: JSON.parse(fs.readFileSync(outFile, 'utf8')) as Record<string, Check> });
      });
  });
}

describe('Flow Library scorecard (node-red-dev validate, catalogue and registry answered offline)', function () {
  this.timeout(180000);

  it('passes every check of the package with no warning or error', async function () {
    assert.ok(fs.existsSync(path.join(root, 'dist', 'nodes', 'tinyml-board.html')), 'build first: the scorecard reads the editor files under dist/nodes');
    const { out, scorecard } = await validate(root);
    assert.match(out, /Complete/);
    const problems = out.split('\n').filter((l) => /Warning|Error|Unable to|not found|NOT/i.test(l));
    assert.deepStrictEqual(problems, [], out);
    const checks = Object.entries(scorecard).filter(([k]) => /^[PND]\d\d$/.test(k));
    for (const code of ['P01', 'P03', 'P04', 'P05', 'P06', 'P07', 'P08', 'N01', 'N02', 'D01', 'D02', 'D03']) {
      assert.ok(scorecard[code], `${code} ran`);
    }
    assert.deepStrictEqual(checks.filter(([, c]) => c.test !== true).map(([k, c]) => `${k} ${JSON.stringify(c)}`), []);
  });
});
