/** A small protobuf wire-format decoder driven by the schema table in proto-schema.ts. */
import { OTLP_SCHEMA } from './proto-schema.ts';
import type { FieldKind, FieldSpec } from './proto-schema.ts';

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_SGROUP = 3;
const WIRE_EGROUP = 4;
const WIRE_I32 = 5;

function wireTypeOf(kind: FieldKind): number {
  switch (kind) {
    case 'string':
    case 'bytes':
    case 'message':
      return WIRE_LEN;
    case 'bool':
    case 'uint32':
    case 'int64':
    case 'enum':
      return WIRE_VARINT;
    case 'fixed32':
      return WIRE_I32;
    case 'fixed64':
    case 'sfixed64':
    case 'double':
      return WIRE_I64;
  }
}

const utf8 = new TextDecoder('utf-8');

export class ProtobufDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}

class WireReader {
  buf: Uint8Array;
  view: DataView;
  pos: number;
  end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  need(n: number): void {
    if (this.pos + n > this.end) {
      throw new ProtobufDecodeError(`truncated input: need ${n} byte(s) at offset ${this.pos}, limit ${this.end}`);
    }
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      this.need(1);
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new ProtobufDecodeError(`varint longer than 10 bytes at offset ${this.pos}`);
  }

  /** varint that must fit a JS safe integer (tags, lengths) */
  smallVarint(): number {
    const v = this.varint();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProtobufDecodeError(`varint too large at offset ${this.pos}`);
    return Number(v);
  }

  fixed32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  fixed64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  sfixed64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  double(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** returns [start, end) of a length-delimited payload and skips past it */
  lenDelimited(): [number, number] {
    const len = this.smallVarint();
    this.need(len);
    const start = this.pos;
    this.pos += len;
    return [start, this.pos];
  }

  skip(wireType: number, fieldNo: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_I64:
        this.need(8);
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.lenDelimited();
        return;
      case WIRE_I32:
        this.need(4);
        this.pos += 4;
        return;
      case WIRE_SGROUP:
        for (;;) {
          if (this.pos >= this.end) throw new ProtobufDecodeError(`unterminated group for field ${fieldNo}`);
          const tag = this.smallVarint();
          const wt = tag & 7;
          if (wt === WIRE_EGROUP) {
            if (tag >>> 3 !== fieldNo) throw new ProtobufDecodeError(`mismatched end-group for field ${fieldNo}`);
            return;
          }
          this.skip(wt, tag >>> 3);
        }
      default:
        throw new ProtobufDecodeError(`invalid wire type ${wireType} for field ${fieldNo} at offset ${this.pos}`);
    }
  }
}

function readScalar(r: WireReader, kind: FieldKind): unknown {
  switch (kind) {
    case 'bool':
      return r.varint() !== 0n;
    case 'uint32':
      return Number(BigInt.asUintN(32, r.varint()));
    case 'enum':
      return Number(BigInt.asIntN(32, r.varint()));
    case 'int64':
      return BigInt.asIntN(64, r.varint());
    case 'fixed32':
      return r.fixed32();
    case 'fixed64':
      return r.fixed64();
    case 'sfixed64':
      return r.sfixed64();
    case 'double':
      return r.double();
    case 'string': {
      const [s, e] = r.lenDelimited();
      return utf8.decode(r.buf.subarray(s, e));
    }
    case 'bytes': {
      const [s, e] = r.lenDelimited();
      return new Uint8Array(r.buf.subarray(s, e)); // copy: Buffer#slice would alias
    }
    case 'message':
      throw new Error('unreachable');
  }
}

type Decoded = Record<string, unknown>;

function mergeInto(target: Decoded, source: Decoded): Decoded {
  for (const [k, v] of Object.entries(source)) {
    const prev = target[k];
    if (Array.isArray(prev) && Array.isArray(v)) prev.push(...(v as unknown[]));
    else if (isPlainObject(prev) && isPlainObject(v)) mergeInto(prev, v);
    else target[k] = v;
  }
  return target;
}

function isPlainObject(v: unknown): v is Decoded {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function decodeRange(r: WireReader, typeName: string, depth: number): Decoded {
  const spec = OTLP_SCHEMA[typeName];
  if (!spec) throw new Error(`unknown message type ${typeName}`);
  if (depth > 64) throw new ProtobufDecodeError('message nesting too deep');
  const out: Decoded = {};
  while (r.pos < r.end) {
    const tag = r.smallVarint();
    const fieldNo = tag >>> 3;
    const wireType = tag & 7;
    if (fieldNo === 0) throw new ProtobufDecodeError(`invalid field number 0 in ${typeName} at offset ${r.pos}`);
    const field = spec[fieldNo];
    if (!field) {
      r.skip(wireType, fieldNo);
      continue;
    }
    const expected = wireTypeOf(field.kind);
    let values: unknown[];
    if (field.kind === 'message') {
      if (wireType !== WIRE_LEN) throw wireTypeError(typeName, field, fieldNo, wireType);
      const [s, e] = r.lenDelimited();
      const sub = new WireReader(r.buf, s, e);
      values = [decodeRange(sub, field.type!, depth + 1)];
    } else if (wireType === expected) {
      values = [readScalar(r, field.kind)];
    } else if (field.repeated && wireType === WIRE_LEN && expected !== WIRE_LEN) {
      // packed repeated scalars
      const [s, e] = r.lenDelimited();
      const sub = new WireReader(r.buf, s, e);
      values = [];
      while (sub.pos < sub.end) values.push(readScalar(sub, field.kind));
    } else {
      throw wireTypeError(typeName, field, fieldNo, wireType);
    }

    if (field.repeated) {
      const prev = out[field.name];
      if (Array.isArray(prev)) prev.push(...values);
      else out[field.name] = values;
    } else {
      const v = values[0];
      const prev = out[field.name];
      // protobuf semantics: a repeated occurrence of a singular message merges, a scalar overwrites
      out[field.name] = isPlainObject(prev) && isPlainObject(v) ? mergeInto(prev, v) : v;
    }
  }
  return out;
}

function wireTypeError(typeName: string, field: FieldSpec, fieldNo: number, wireType: number): ProtobufDecodeError {
  return new ProtobufDecodeError(
    `${typeName}.${field.name} (field ${fieldNo}) has wire type ${wireType}, expected ${wireTypeOf(field.kind)}`,
  );
}

/**
 * Decodes a protobuf message of one of the types in OTLP_SCHEMA into a plain
 * object with lowerCamelCase field names. 64-bit integers become bigint,
 * bytes become Uint8Array, enums stay numeric. Unknown fields are skipped.
 */
export function decodeProtobuf(buf: Uint8Array, typeName: string): Record<string, unknown> {
  return decodeRange(new WireReader(buf), typeName, 0);
}
