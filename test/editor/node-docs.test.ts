/**
 * Every node explains itself: help in the Node-RED style in English and German, message catalogs with
 * the same keys in both languages, every i18n key the editor template uses present, palette category
 * "tinyml", a white-on-transparent SVG icon.
 */
import assert from 'assert';
import fs from 'fs';
import path from 'path';

const root = path.resolve(__dirname, '..', '..', '..');
const LANGS = ['en-US', 'de'];
const read = (...p: string[]): string => fs.readFileSync(path.join(root, ...p), 'utf8');

/** Node types with an editor template in nodes/ (the sidebar plugin is no node type). */
function nodeTypes(): string[] {
  return fs.readdirSync(path.join(root, 'nodes'))
    .filter((f) => f.endsWith('.html'))
    .map((f) => f.slice(0, -5))
    .filter((t) => /RED\.nodes\.registerType\(/.test(read('nodes', `${t}.html`)));
}

function keyPaths(v: unknown, prefix = ''): string[] {
  if (typeof v !== 'object' || v === null) return [prefix];
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => keyPaths(x, prefix ? `${prefix}.${k}` : k)).sort();
}

function lookup(catalog: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined), catalog);
}

describe('node documentation, catalogs and icons', function () {
  const types = nodeTypes();

  it('finds the node templates', function () {
    for (const t of ['tinyml-board', 'tinyml-capture', 'tinyml-window', 'tinyml-features', 'tinyml-dataset']) assert.ok(types.includes(t), t);
  });

  for (const type of nodeTypes()) {
    describe(type, function () {
      const html = read('nodes', `${type}.html`);
      const isConfig = /category:\s*'config'/.test(html);
      const inputs = Number(/inputs:\s*(\d+)/.exec(html)?.[1] ?? 0);
      const outputs = Number(/outputs:\s*(\d+)/.exec(html)?.[1] ?? 0);

      it('is in the tinyml palette category (or is a config node) with an icon that is white on transparent', function () {
        if (isConfig) return;
        assert.match(html, /category:\s*'tinyml'/);
        const icon = /icon:\s*'([^']+)'/.exec(html)?.[1];
        assert.ok(icon, 'icon declared');
        const svg = read('icons', icon);
        assert.match(svg, /^<svg[^>]*viewBox="0 0 40 60"/, 'Node-RED icon geometry 40×60');
        const colours = [...svg.matchAll(/(?:fill|stroke)="([^"]+)"/g)].map((m) => m[1].toLowerCase());
        assert.ok(colours.length > 0 && colours.every((c) => ['#fff', '#ffffff', 'white', 'none'].includes(c)), `colours: ${colours.join(',')}`);
        assert.doesNotMatch(svg, /<text|<image|style=/, 'no text (font-dependent), embedded images or inline styles');
      });

      it('takes its port labels and select options from the catalog (no English-only text)', function () {
        for (const m of html.matchAll(/(inputLabels|outputLabels):\s*([^\n]+)/g)) {
          assert.match(m[2], /^function\b[^\n]*this\._\(/, `${m[1]} is a function reading the catalog: ${m[2]}`);
        }
        for (const m of html.matchAll(/<option\b[^>]*>([^<]*)<\/option>/g)) {
          assert.ok(/data-i18n=/.test(m[0]) || /^[\d\s]*$/.test(m[1]), `option text from the catalog: ${m[0]}`);
        }
      });

      it('keeps its help in the locale folders, not in the template', function () {
        assert.doesNotMatch(html, /data-help-name/);
      });

      for (const lang of LANGS) {
        it(`has ${lang} help in the Node-RED style`, function () {
          const help = read('locales', lang, `${type}.html`);
          assert.match(help, new RegExp(`^<script type="text/html" data-help-name="${type}">`));
          assert.match(help.split('\n')[1] ?? '', /^\s*<p>\S/, 'a summary paragraph first');
          const h3 = [...help.matchAll(/<h3>([^<]+)<\/h3>/g)].map((m) => m[1]);
          const names = lang === 'de'
            ? { props: 'Eigenschaften', inputs: 'Eingaben', outputs: 'Ausgaben', details: 'Details', refs: 'Referenzen' }
            : { props: 'Properties', inputs: 'Inputs', outputs: 'Outputs', details: 'Details', refs: 'References' };
          const expected = [
            ...(isConfig ? [names.props] : []), ...(inputs > 0 ? [names.inputs] : []), ...(outputs > 0 ? [names.outputs] : []), names.details, names.refs,
          ];
          assert.deepStrictEqual(h3, expected);
          if (inputs + outputs > 0) assert.match(help, /<dl class="message-properties">/);
          assert.match(help, /<h3>[^<]+<\/h3>\s*<ul>\s*<li>/, 'references are a list');
        });
      }

      it('has the same message keys in English and German, and every key the template uses', function () {
        const en = JSON.parse(read('locales', 'en-US', `${type}.json`)) as Record<string, unknown>;
        const de = JSON.parse(read('locales', 'de', `${type}.json`)) as Record<string, unknown>;
        assert.deepStrictEqual(keyPaths(de), keyPaths(en));
        // Keys of data-i18n attributes and of this._('...') calls (port labels).
        const used = [
          ...[...html.matchAll(/data-i18n="(?:\[[a-z]+\])?([^"]+)"/g)].map((m) => m[1]),
          ...html.split('\n').filter((l) => l.includes('this._(')).flatMap((l) => [...l.matchAll(/'(tinyml-[a-z]+\.[^']+)'/g)].map((m) => m[1])),
        ];
        for (const key of used) {
          for (const [lang, cat] of [['en-US', en], ['de', de]] as const) assert.strictEqual(typeof lookup(cat, key), 'string', `${lang}: ${key}`);
        }
        for (const [lang, cat] of [['en-US', en], ['de', de]] as const) {
          for (const k of keyPaths(cat)) {
            const v = lookup(cat, k) as string;
            assert.ok(v.trim() !== '', `${lang}: ${k} is empty`);
            const subsEn = [...String(lookup(en, k)).matchAll(/__(\w+)__/g)].map((m) => m[1]).sort();
            assert.deepStrictEqual([...v.matchAll(/__(\w+)__/g)].map((m) => m[1]).sort(), subsEn, `${lang}: ${k} placeholders`);
          }
        }
      });
    });
  }

  it('the sidebar plugin has English and German texts with the same keys', function () {
    const en = JSON.parse(read('locales', 'en-US', 'tinyml-sidebar.json')) as unknown;
    const de = JSON.parse(read('locales', 'de', 'tinyml-sidebar.json')) as unknown;
    assert.deepStrictEqual(keyPaths(de), keyPaths(en));
    const builtIn = /var EN = (\{[\s\S]*?\n {2}\});/.exec(read('nodes', 'tinyml-sidebar.html'))?.[1] ?? '';
    for (const k of keyPaths(en)) assert.ok(builtIn.includes(`${k.replace('tinyml-sidebar.', '')}:`), `built-in English fallback for ${k}`);
  });
});
