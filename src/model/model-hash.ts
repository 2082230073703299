/**
 * The model hash: SHA-256 of a canonical JSON serialization (object keys sorted, no whitespace,
 * numbers as JavaScript prints them: the shortest round-trip form) of every field except those
 * that describe the model without changing what it computes (hash, metrics, cost, training, float).
 */
import { createHash } from 'crypto';

export const HASH_EXCLUDED_FIELDS: readonly string[] = ['hash', 'metrics', 'cost', 'training', 'float'];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('canonical JSON: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  throw new Error(`canonical JSON: unsupported value of type ${typeof value}`);
}

/** Hex SHA-256 over the canonical form of the artifact without its excluded fields. */
export function computeModelHash(artifact: object): string {
  const copy: Record<string, unknown> = { ...(artifact as Record<string, unknown>) };
  for (const k of HASH_EXCLUDED_FIELDS) delete copy[k];
  return createHash('sha256').update(canonicalJson(copy), 'utf8').digest('hex');
}
