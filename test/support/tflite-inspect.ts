/**
 * A minimal independent .tflite reader for structure checks (file identifier, version, buffers
 * and their alignment, operator codes), reading the flatbuffer with the runtime's ByteBuffer and
 * the field slots of TFLite's schema.fbs (slot n lives at vtable offset 4 + 2n).
 */
import { ByteBuffer } from 'flatbuffers';

export interface InspectedModel {
  identifier: string;
  version: number;
  buffers: { offset: number; length: number }[];
  operatorCodes: { deprecated: number; builtin: number; version: number }[];
  operators: number[];
  tensorTypes: number[];
}

function field(bb: ByteBuffer, table: number, slot: number): number {
  return bb.__offset(table, 4 + 2 * slot);
}

function vector(bb: ByteBuffer, table: number, slot: number): { start: number; length: number } | null {
  const o = field(bb, table, slot);
  if (!o) return null;
  return { start: bb.__vector(table + o), length: bb.__vector_len(table + o) };
}

function tables(bb: ByteBuffer, table: number, slot: number): number[] {
  const v = vector(bb, table, slot);
  if (!v) return [];
  return Array.from({ length: v.length }, (_, i) => bb.__indirect(v.start + 4 * i));
}

export function inspectTflite(bytes: Uint8Array): InspectedModel {
  const bb = new ByteBuffer(bytes);
  const model = bb.readInt32(0);
  const identifier = String.fromCharCode(...bytes.slice(4, 8));
  const vo = field(bb, model, 0);
  const version = vo ? bb.readUint32(model + vo) : 0;
  const buffers = tables(bb, model, 4).map((t) => {
    const v = vector(bb, t, 0);
    return v ? { offset: v.start, length: v.length } : { offset: 0, length: 0 };
  });
  const operatorCodes = tables(bb, model, 1).map((t) => {
    const d = field(bb, t, 0);
    const ver = field(bb, t, 2);
    const b = field(bb, t, 3);
    return { deprecated: d ? bb.readInt8(t + d) : 0, version: ver ? bb.readInt32(t + ver) : 1, builtin: b ? bb.readInt32(t + b) : 0 };
  });
  const subgraph = tables(bb, model, 2)[0];
  const operators = tables(bb, subgraph, 3).map((op) => {
    const o = field(bb, op, 0);
    const index = o ? bb.readUint32(op + o) : 0;
    const code = operatorCodes[index];
    return Math.max(code.deprecated, code.builtin);
  });
  const tensorTypes = tables(bb, subgraph, 0).map((t) => {
    const o = field(bb, t, 1);
    return o ? bb.readInt8(t + o) : 0;
  });
  return { identifier, version, buffers, operatorCodes, operators, tensorTypes };
}
