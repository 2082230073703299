import assert from 'assert';
import { PassThrough } from 'stream';
import { main } from '../../src/cli/main';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('tinyml CLI', () => {
  it('lists the board profiles as JSON', async () => {
    const out = capture();
    const code = await main(['boards', '--json'], out.stream, capture().stream);
    assert.strictEqual(code, 0);
    const boards = JSON.parse(out.text()) as Array<{ id: string }>;
    assert.ok(boards.some((b) => b.id === 'uno'));
  });

  it('exits 1 with a usage line on an unknown command', async () => {
    const err = capture();
    const code = await main(['frobnicate'], capture().stream, err.stream);
    assert.strictEqual(code, 1);
    assert.match(err.text(), /usage: tinyml/);
  });
});
