import fs from 'fs';
import path from 'path';
import type { NodeAPI } from './red-types';

/**
 * Translation with an English fallback: when the runtime has no catalog for `key` (RED._ returns
 * the key itself, as in the test helper), the en-US catalog shipped in locales/ is used.
 */
export function translator(RED: NodeAPI, namespace: string): (key: string, subs?: Record<string, string | number>) => string {
  let catalog: Record<string, unknown> | null = null;
  const lookup = (key: string): string | null => {
    if (catalog === null) {
      catalog = {};
      for (const dir of [path.join(__dirname, 'locales'), path.resolve(__dirname, '..', '..', 'locales'), path.resolve(__dirname, '..', 'locales')]) {
        const file = path.join(dir, 'en-US', `${namespace}.json`);
        if (fs.existsSync(file)) {
          catalog = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
          break;
        }
      }
    }
    let v: unknown = catalog;
    for (const part of key.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[part] : undefined;
    return typeof v === 'string' ? v : null;
  };
  return (key, subs) => {
    const full = `${namespace}.${key}`;
    const t = RED._(full, subs);
    if (t !== full) return t;
    const en = lookup(full) ?? lookup(key);
    if (en === null) return full;
    // Node-RED's i18next interpolates __name__.
    return en.replace(/__(\w+)__/g, (m, name: string) => (subs && name in subs ? String(subs[name]) : m));
  };
}

