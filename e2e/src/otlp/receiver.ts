/**
 * In-process OTLP/HTTP receiver for e2e tests.
 *
 * Child processes running the OpenTelemetry SDK export to `receiver.endpoint`
 * (POST /v1/traces, /v1/metrics, /v1/logs). Both `application/x-protobuf` and
 * `application/json` bodies are accepted, optionally gzip/deflate/br encoded.
 * Spans and metrics are normalised into plain objects (hex ids, bigint
 * nanosecond timestamps, enum names) that read like what a user sees.
 *
 * Protobuf is decoded by the small wire-format decoder below, driven by a
 * schema table whose field numbers follow opentelemetry-proto v1
 * (opentelemetry/proto/{common,resource,trace,metrics,collector}/v1/*.proto).
 * Only the messages/fields needed here are listed; unknown fields are skipped.
 *
 * Written as erasable TypeScript so Node >= 22.18 / 24 can run it directly.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

export type SpanKindName = 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
export type StatusCodeName = 'UNSET' | 'OK' | 'ERROR';

export interface ReceivedScope {
  name: string;
  version?: string;
  /** The ScopeSpans'/ScopeMetrics' schema URL, when the instrumentation announced one. */
  schemaUrl?: string;
}

export interface ReceivedLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface ReceivedEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: Attributes;
}

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKindName;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  status: { code: StatusCodeName; message?: string };
  links: ReceivedLink[];
  events: ReceivedEvent[];
  resource: Attributes;
  scope: ReceivedScope;
}

export interface ReceivedDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  /** sum / gauge */
  value?: number;
  /** histogram */
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
}

export interface ReceivedMetric {
  name: string;
  unit: string;
  description: string;
  type: 'histogram' | 'sum' | 'gauge';
  /** sum / histogram only */
  temporality?: 'UNSPECIFIED' | 'DELTA' | 'CUMULATIVE';
  /** sum only */
  isMonotonic?: boolean;
  dataPoints: ReceivedDataPoint[];
  resource: Attributes;
  scope: ReceivedScope;
}

export interface ReceivedRequest {
  signal: 'traces' | 'metrics' | 'logs';
  /** 'protobuf' | 'json' */
  encoding: 'protobuf' | 'json';
  /** Content-Encoding header, or 'identity' */
  contentEncoding: string;
  /** body size on the wire (before decompression) */
  bytes: number;
  /** HTTP status the receiver answered with */
  status: number;
}

export interface OtlpReceiver {
  /** Base URL, e.g. http://127.0.0.1:43127 (use as OTEL_EXPORTER_OTLP_ENDPOINT). */
  endpoint: string;
  /** All spans received so far, in arrival order (a copy). */
  spans(): ReceivedSpan[];
  /**
   * All metrics received so far, in arrival order (a copy). A periodic reader
   * re-exports cumulative metrics on every interval, so the same metric name
   * usually appears several times: the last entry is the newest.
   */
  metrics(): ReceivedMetric[];
  /** One entry per handled POST (useful to check encodings / compression). */
  requests(): ReceivedRequest[];
  /** Decode / protocol errors seen so far (each also answered with HTTP 4xx). */
  errors(): string[];
  /**
   * Resolves with the spans as soon as `predicate(spans)` returns truthy.
   * A predicate that throws counts as "not yet"; its last error is reported
   * on timeout, together with the names of the spans received so far.
   */
  waitForSpans(predicate: (spans: ReceivedSpan[]) => unknown, timeoutMs?: number): Promise<ReceivedSpan[]>;
  /** Same as waitForSpans, for metrics. */
  waitForMetrics(predicate: (metrics: ReceivedMetric[]) => unknown, timeoutMs?: number): Promise<ReceivedMetric[]>;
  /** Forget everything received so far (spans, metrics, requests, errors). */
  clear(): void;
  /** Stops the server, dropping keep-alive connections; pending waits reject. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Protobuf schema (field numbers per opentelemetry-proto v1)
// ---------------------------------------------------------------------------

type FieldKind =
  'string' | 'bytes' | 'bool' | 'uint32' | 'int64' | 'enum' | 'fixed32' | 'fixed64' | 'sfixed64' | 'double' | 'message';

interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  readonly repeated?: boolean;
  /** message type name, for kind 'message' */
  readonly type?: string;
}

type MessageSpec = Readonly<Record<number, FieldSpec>>;

function fld(name: string, kind: FieldKind, repeated = false): FieldSpec {
  return { name, kind, repeated };
}
function msg(name: string, type: string, repeated = false): FieldSpec {
  return { name, kind: 'message', type, repeated };
}

export const OTLP_SCHEMA: Readonly<Record<string, MessageSpec>> = {
  // opentelemetry/proto/common/v1/common.proto
  AnyValue: {
    1: fld('stringValue', 'string'),
    2: fld('boolValue', 'bool'),
    3: fld('intValue', 'int64'),
    4: fld('doubleValue', 'double'),
    5: msg('arrayValue', 'ArrayValue'),
    6: msg('kvlistValue', 'KeyValueList'),
    7: fld('bytesValue', 'bytes'),
  },
  ArrayValue: { 1: msg('values', 'AnyValue', true) },
  KeyValueList: { 1: msg('values', 'KeyValue', true) },
  KeyValue: { 1: fld('key', 'string'), 2: msg('value', 'AnyValue') },
  InstrumentationScope: {
    1: fld('name', 'string'),
    2: fld('version', 'string'),
    3: msg('attributes', 'KeyValue', true),
    4: fld('droppedAttributesCount', 'uint32'),
  },
  // opentelemetry/proto/resource/v1/resource.proto
  Resource: { 1: msg('attributes', 'KeyValue', true), 2: fld('droppedAttributesCount', 'uint32') },

  // opentelemetry/proto/collector/trace/v1/trace_service.proto
  ExportTraceServiceRequest: { 1: msg('resourceSpans', 'ResourceSpans', true) },
  // opentelemetry/proto/trace/v1/trace.proto
  ResourceSpans: {
    1: msg('resource', 'Resource'),
    2: msg('scopeSpans', 'ScopeSpans', true),
    3: fld('schemaUrl', 'string'),
  },
  ScopeSpans: {
    1: msg('scope', 'InstrumentationScope'),
    2: msg('spans', 'Span', true),
    3: fld('schemaUrl', 'string'),
  },
  Span: {
    1: fld('traceId', 'bytes'),
    2: fld('spanId', 'bytes'),
    3: fld('traceState', 'string'),
    4: fld('parentSpanId', 'bytes'),
    5: fld('name', 'string'),
    6: fld('kind', 'enum'),
    7: fld('startTimeUnixNano', 'fixed64'),
    8: fld('endTimeUnixNano', 'fixed64'),
    9: msg('attributes', 'KeyValue', true),
    10: fld('droppedAttributesCount', 'uint32'),
    11: msg('events', 'Span.Event', true),
    12: fld('droppedEventsCount', 'uint32'),
    13: msg('links', 'Span.Link', true),
    14: fld('droppedLinksCount', 'uint32'),
    15: msg('status', 'Status'),
    16: fld('flags', 'fixed32'),
  },
  'Span.Event': {
    1: fld('timeUnixNano', 'fixed64'),
    2: fld('name', 'string'),
    3: msg('attributes', 'KeyValue', true),
    4: fld('droppedAttributesCount', 'uint32'),
  },
  'Span.Link': {
    1: fld('traceId', 'bytes'),
    2: fld('spanId', 'bytes'),
    3: fld('traceState', 'string'),
    4: msg('attributes', 'KeyValue', true),
    5: fld('droppedAttributesCount', 'uint32'),
    6: fld('flags', 'fixed32'),
  },
  Status: { 2: fld('message', 'string'), 3: fld('code', 'enum') },

  // opentelemetry/proto/collector/metrics/v1/metrics_service.proto
  ExportMetricsServiceRequest: { 1: msg('resourceMetrics', 'ResourceMetrics', true) },
  // opentelemetry/proto/metrics/v1/metrics.proto
  ResourceMetrics: {
    1: msg('resource', 'Resource'),
    2: msg('scopeMetrics', 'ScopeMetrics', true),
    3: fld('schemaUrl', 'string'),
  },
  ScopeMetrics: {
    1: msg('scope', 'InstrumentationScope'),
    2: msg('metrics', 'Metric', true),
    3: fld('schemaUrl', 'string'),
  },
  Metric: {
    1: fld('name', 'string'),
    2: fld('description', 'string'),
    3: fld('unit', 'string'),
    5: msg('gauge', 'Gauge'),
    7: msg('sum', 'Sum'),
    9: msg('histogram', 'Histogram'),
    // 10 exponential_histogram, 11 summary: not decoded (skipped as unknown)
    12: msg('metadata', 'KeyValue', true),
  },
  Gauge: { 1: msg('dataPoints', 'NumberDataPoint', true) },
  Sum: {
    1: msg('dataPoints', 'NumberDataPoint', true),
    2: fld('aggregationTemporality', 'enum'),
    3: fld('isMonotonic', 'bool'),
  },
  Histogram: {
    1: msg('dataPoints', 'HistogramDataPoint', true),
    2: fld('aggregationTemporality', 'enum'),
  },
  NumberDataPoint: {
    2: fld('startTimeUnixNano', 'fixed64'),
    3: fld('timeUnixNano', 'fixed64'),
    4: fld('asDouble', 'double'),
    // 5 exemplars: skipped
    6: fld('asInt', 'sfixed64'),
    7: msg('attributes', 'KeyValue', true),
    8: fld('flags', 'uint32'),
  },
  HistogramDataPoint: {
    2: fld('startTimeUnixNano', 'fixed64'),
    3: fld('timeUnixNano', 'fixed64'),
    4: fld('count', 'fixed64'),
    5: fld('sum', 'double'),
    6: fld('bucketCounts', 'fixed64', true),
    7: fld('explicitBounds', 'double', true),
    // 8 exemplars: skipped
    9: msg('attributes', 'KeyValue', true),
    10: fld('flags', 'uint32'),
    11: fld('min', 'double'),
    12: fld('max', 'double'),
  },
};

// ---------------------------------------------------------------------------
// Protobuf wire-format decoder
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Normalisation (shared by protobuf and JSON; tolerant of both value shapes)
// ---------------------------------------------------------------------------

type Loose = Readonly<Record<string, unknown>>;

const EMPTY: Loose = Object.freeze({});

/** the value as an object (protobuf-decoded or parsed JSON), or {} */
function obj(v: unknown): Loose {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) ? (v as Loose) : EMPTY;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? (v as unknown[]) : [];
}

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return '';
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** int64/uint64/fixed64 given as bigint (protobuf), number or decimal string (JSON) */
function toBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  if (typeof v === 'string' && v.trim() !== '') {
    try {
      return BigInt(v.trim());
    } catch {
      const n = Number(v);
      return Number.isFinite(n) ? BigInt(Math.trunc(n)) : 0n;
    }
  }
  return 0n;
}

/** numbers given as bigint, number or string (incl. JSON "NaN"/"Infinity") */
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return Number(v);
  return 0;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** ids: bytes (protobuf), hex string (OTLP JSON) or base64 string (generic proto3 JSON) */
function toHexId(v: unknown, byteLength: number): string {
  if (v instanceof Uint8Array) return hex(v);
  if (typeof v !== 'string' || v === '') return '';
  if (v.length === byteLength * 2 && /^[0-9a-fA-F]+$/.test(v)) return v.toLowerCase();
  const b = Buffer.from(v, 'base64');
  if (b.length === byteLength) return b.toString('hex');
  return v.toLowerCase();
}

function enumName<T extends string>(v: unknown, names: readonly T[], prefix: string, fallback: T): T {
  if (typeof v === 'number' || typeof v === 'bigint') return names[Number(v)] ?? fallback;
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return names[Number(v)] ?? fallback;
    const short = (v.startsWith(prefix) ? v.slice(prefix.length) : v) as T;
    return names.includes(short) ? short : fallback;
  }
  return fallback;
}

// proto SpanKind: 0 UNSPECIFIED, 1 INTERNAL, 2 SERVER, 3 CLIENT, 4 PRODUCER, 5 CONSUMER
const SPAN_KINDS = ['INTERNAL', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
const STATUS_CODES = ['UNSET', 'OK', 'ERROR'] as const;
const TEMPORALITIES = ['UNSPECIFIED', 'DELTA', 'CUMULATIVE'] as const;

function anyValue(v: unknown): AttributeValue {
  const o = obj(v);
  if ('stringValue' in o) return str(o.stringValue);
  if ('boolValue' in o) return o.boolValue === true || o.boolValue === 'true';
  if ('intValue' in o) return toNumber(o.intValue);
  if ('doubleValue' in o) return toNumber(o.doubleValue);
  if ('arrayValue' in o) return asArray(obj(o.arrayValue).values).map(anyValue);
  if ('kvlistValue' in o) return attributes(obj(o.kvlistValue).values);
  if ('bytesValue' in o) {
    const b = o.bytesValue;
    return b instanceof Uint8Array ? Buffer.from(b).toString('base64') : str(b);
  }
  return null;
}

function attributes(list: unknown): Attributes {
  const out: Attributes = {};
  for (const item of asArray(list)) {
    const kv = obj(item);
    if ('key' in kv) out[str(kv.key)] = anyValue(kv.value);
  }
  return out;
}

function scopeOf(s: unknown, schemaUrl: unknown): ReceivedScope {
  const o = obj(s);
  const scope: ReceivedScope = { name: str(o.name) };
  if (str(o.version) !== '') scope.version = str(o.version);
  if (str(schemaUrl) !== '') scope.schemaUrl = str(schemaUrl);
  return scope;
}

function normaliseSpan(raw: unknown, resource: Attributes, scope: ReceivedScope): ReceivedSpan {
  const s = obj(raw);
  const status = obj(s.status);
  const span: ReceivedSpan = {
    traceId: toHexId(s.traceId, 16),
    spanId: toHexId(s.spanId, 8),
    name: str(s.name),
    kind: enumName(s.kind, SPAN_KINDS, 'SPAN_KIND_', 'INTERNAL'),
    startTimeUnixNano: toBigInt(s.startTimeUnixNano),
    endTimeUnixNano: toBigInt(s.endTimeUnixNano),
    attributes: attributes(s.attributes),
    status: { code: enumName(status.code, STATUS_CODES, 'STATUS_CODE_', 'UNSET') },
    links: asArray(s.links).map((raw) => {
      const l = obj(raw);
      return { traceId: toHexId(l.traceId, 16), spanId: toHexId(l.spanId, 8), attributes: attributes(l.attributes) };
    }),
    events: asArray(s.events).map((raw) => {
      const e = obj(raw);
      return { name: str(e.name), timeUnixNano: toBigInt(e.timeUnixNano), attributes: attributes(e.attributes) };
    }),
    resource,
    scope,
  };
  const parent = toHexId(s.parentSpanId, 8);
  if (parent !== '' && !/^0+$/.test(parent)) span.parentSpanId = parent;
  if (str(status.message) !== '') span.status.message = str(status.message);
  return span;
}

function normaliseTraces(req: unknown): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of asArray(obj(req).resourceSpans)) {
    const resource = attributes(obj(obj(rs).resource).attributes);
    for (const ss of asArray(obj(rs).scopeSpans)) {
      const scope = scopeOf(obj(ss).scope, obj(ss).schemaUrl);
      for (const s of asArray(obj(ss).spans)) out.push(normaliseSpan(s, resource, scope));
    }
  }
  return out;
}

function numberPoint(raw: unknown): ReceivedDataPoint {
  const p = obj(raw);
  const dp: ReceivedDataPoint = {
    attributes: attributes(p.attributes),
    startTimeUnixNano: toBigInt(p.startTimeUnixNano),
    timeUnixNano: toBigInt(p.timeUnixNano),
  };
  if (present(p.asDouble)) dp.value = toNumber(p.asDouble);
  else if (present(p.asInt)) dp.value = toNumber(p.asInt);
  return dp;
}

function histogramPoint(raw: unknown): ReceivedDataPoint {
  const p = obj(raw);
  const dp: ReceivedDataPoint = {
    attributes: attributes(p.attributes),
    startTimeUnixNano: toBigInt(p.startTimeUnixNano),
    timeUnixNano: toBigInt(p.timeUnixNano),
    count: toNumber(p.count ?? 0),
    bucketCounts: asArray(p.bucketCounts).map(toNumber),
    explicitBounds: asArray(p.explicitBounds).map(toNumber),
  };
  if (present(p.sum)) dp.sum = toNumber(p.sum);
  if (present(p.min)) dp.min = toNumber(p.min);
  if (present(p.max)) dp.max = toNumber(p.max);
  return dp;
}

function normaliseMetric(raw: unknown, resource: Attributes, scope: ReceivedScope): ReceivedMetric | undefined {
  const m = obj(raw);
  const base = { name: str(m.name), unit: str(m.unit), description: str(m.description), resource, scope };
  if (present(m.sum)) {
    const sum = obj(m.sum);
    return {
      ...base,
      type: 'sum',
      temporality: enumName(sum.aggregationTemporality, TEMPORALITIES, 'AGGREGATION_TEMPORALITY_', 'UNSPECIFIED'),
      isMonotonic: sum.isMonotonic === true,
      dataPoints: asArray(sum.dataPoints).map(numberPoint),
    };
  }
  if (present(m.gauge)) {
    return { ...base, type: 'gauge', dataPoints: asArray(obj(m.gauge).dataPoints).map(numberPoint) };
  }
  if (present(m.histogram)) {
    const h = obj(m.histogram);
    return {
      ...base,
      type: 'histogram',
      temporality: enumName(h.aggregationTemporality, TEMPORALITIES, 'AGGREGATION_TEMPORALITY_', 'UNSPECIFIED'),
      dataPoints: asArray(h.dataPoints).map(histogramPoint),
    };
  }
  return undefined; // exponential histograms and summaries are ignored
}

function normaliseMetrics(req: unknown): ReceivedMetric[] {
  const out: ReceivedMetric[] = [];
  for (const rm of asArray(obj(req).resourceMetrics)) {
    const resource = attributes(obj(obj(rm).resource).attributes);
    for (const sm of asArray(obj(rm).scopeMetrics)) {
      const scope = scopeOf(obj(sm).scope, obj(sm).schemaUrl);
      for (const m of asArray(obj(sm).metrics)) {
        const metric = normaliseMetric(m, resource, scope);
        if (metric) out.push(metric);
      }
    }
  }
  return out;
}

/** proto3 JSON allows the original snake_case field names too; OTLP senders use lowerCamelCase. */
function camelizeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return (v as unknown[]).map(camelizeKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) {
      out[k.includes('_') ? k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()) : k] = camelizeKeys(val);
    }
    return out;
  }
  return v;
}

/** Decodes an OTLP ExportTraceServiceRequest body (protobuf or JSON) into ReceivedSpans. */
export function decodeTraces(body: Uint8Array, encoding: 'protobuf' | 'json'): ReceivedSpan[] {
  const req =
    encoding === 'protobuf'
      ? decodeProtobuf(body, 'ExportTraceServiceRequest')
      : camelizeKeys(JSON.parse(utf8.decode(body)));
  return normaliseTraces(req);
}

/** Decodes an OTLP ExportMetricsServiceRequest body (protobuf or JSON) into ReceivedMetrics. */
export function decodeMetrics(body: Uint8Array, encoding: 'protobuf' | 'json'): ReceivedMetric[] {
  const req =
    encoding === 'protobuf'
      ? decodeProtobuf(body, 'ExportMetricsServiceRequest')
      : camelizeKeys(JSON.parse(utf8.decode(body)));
  return normaliseMetrics(req);
}

// ---------------------------------------------------------------------------
// HTTP server
// ---------------------------------------------------------------------------

const MAX_BODY_BYTES = 64 * 1024 * 1024;

class HttpError extends Error {
  status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function decompress(body: Buffer, contentEncoding: string): Buffer {
  switch (contentEncoding) {
    case '':
    case 'identity':
    case 'none':
      return body;
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(body);
    case 'deflate':
      return inflateSync(body);
    case 'br':
      return brotliDecompressSync(body);
    default:
      throw new HttpError(415, `unsupported Content-Encoding: ${contentEncoding}`);
  }
}

/** google.rpc.Status { int32 code = 1; string message = 2; } */
function encodeRpcStatus(code: number, message: string): Buffer {
  const text = Buffer.from(message, 'utf8');
  const varint = (n: number): number[] => {
    const bytes: number[] = [];
    while (n > 0x7f) {
      bytes.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    bytes.push(n);
    return bytes;
  };
  return Buffer.concat([Buffer.from([0x08, ...varint(code), 0x12, ...varint(text.length)]), text]);
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : (JSON.stringify(e) ?? 'undefined');
}

interface Waiter {
  check: () => boolean;
  fail: (err: Error) => void;
}

const SIGNAL_PATHS: Record<string, ReceivedRequest['signal']> = {
  '/v1/traces': 'traces',
  '/v1/metrics': 'metrics',
  '/v1/logs': 'logs',
};

export interface OtlpReceiverOptions {
  /**
   * Also forward every request it accepts, unchanged (same path, content type and
   * encoding), to this OTLP/HTTP base URL, e.g. a Collector or Jaeger. Forwarding
   * failures are recorded in `errors()`, never answered to the sender.
   */
  forwardTo?: string | undefined;
}

export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  let spans: ReceivedSpan[] = [];
  let metrics: ReceivedMetric[] = [];
  let requests: ReceivedRequest[] = [];
  let errors: string[] = [];
  const waiters = new Set<Waiter>();
  let closed = false;

  const notify = (): void => {
    for (const w of [...waiters]) w.check();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
    const signal = SIGNAL_PATHS[path];
    const contentType = str(req.headers['content-type']).split(';')[0]!.trim().toLowerCase();
    const encoding: 'protobuf' | 'json' = contentType === 'application/json' ? 'json' : 'protobuf';
    const contentEncoding = str(req.headers['content-encoding']).trim().toLowerCase();

    const reply = (status: number, body: Buffer | string, type: string): void => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    const fail = (status: number, message: string): void => {
      errors.push(`${req.method} ${req.url} (${contentType || 'no content-type'}): ${message}`);
      if (encoding === 'json') reply(status, JSON.stringify({ code: 3, message }), 'application/json');
      else reply(status, encodeRpcStatus(3 /* INVALID_ARGUMENT */, message), 'application/x-protobuf');
      notify();
    };

    if (!signal) {
      // drain, then 404
      await readBody(req).catch(() => undefined);
      fail(404, `unknown path ${path}`);
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      fail(405, `method ${req.method} not allowed`);
      return;
    }
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (e) {
      fail(e instanceof HttpError ? e.status : 400, errorMessage(e));
      return;
    }
    const record = (status: number): void => {
      requests.push({ signal, encoding, contentEncoding: contentEncoding || 'identity', bytes: raw.length, status });
    };
    if (
      contentType !== 'application/json' &&
      contentType !== 'application/x-protobuf' &&
      contentType !== 'application/protobuf'
    ) {
      record(415);
      fail(415, `unsupported Content-Type: ${contentType || '(none)'}`);
      return;
    }
    try {
      const body = decompress(raw, contentEncoding);
      if (signal === 'traces') spans.push(...decodeTraces(body, encoding));
      else if (signal === 'metrics') metrics.push(...decodeMetrics(body, encoding));
      else if (encoding === 'json' && body.length > 0) JSON.parse(body.toString('utf8')); // logs: validate, discard
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 400;
      record(status);
      fail(
        status,
        `cannot decode ${signal} ${encoding}${contentEncoding ? ` (${contentEncoding})` : ''}: ${errorMessage(e)}`,
      );
      return;
    }
    record(200);
    if (options.forwardTo) forward(path, raw, req.headers);
    // An empty Export{Trace,Metrics,Logs}ServiceResponse: zero bytes in protobuf, {} in JSON.
    if (encoding === 'json') reply(200, '{}', 'application/json');
    else reply(200, Buffer.alloc(0), contentType);
    notify();
  };

  const forwardTo = options.forwardTo?.replace(/\/+$/, '');
  const forwards = new Set<Promise<void>>();
  const forward = (path: string, raw: Buffer, headers: IncomingMessage['headers']): void => {
    const headersOut: Record<string, string> = { 'content-type': str(headers['content-type']) };
    if (headers['content-encoding']) headersOut['content-encoding'] = str(headers['content-encoding']);
    const sent = fetch(`${forwardTo}${path}`, { method: 'POST', headers: headersOut, body: raw })
      .then((response) => {
        if (!response.ok) errors.push(`forward to ${forwardTo}${path}: HTTP ${response.status}`);
      })
      .catch((e: unknown) => {
        errors.push(`forward to ${forwardTo}${path}: ${errorMessage(e)}`);
      })
      .finally(() => forwards.delete(sent));
    forwards.add(sent);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      errors.push(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : errorMessage(e)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  const summary = (): string => {
    const counts = new Map<string, number>();
    for (const s of spans) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
    const names = [...counts].map(([n, c]) => (c > 1 ? `${JSON.stringify(n)} x${c}` : JSON.stringify(n)));
    const bySignal = (sig: string) => requests.filter((r) => r.signal === sig).length;
    let text =
      `received ${spans.length} span(s)${names.length ? `: ${names.join(', ')}` : ''}; ` +
      `${metrics.length} metric(s)${metrics.length ? `: ${[...new Set(metrics.map((m) => JSON.stringify(m.name)))].join(', ')}` : ''}; ` +
      `requests: traces=${bySignal('traces')} metrics=${bySignal('metrics')} logs=${bySignal('logs')}`;
    if (errors.length) text += `\nreceiver errors:\n  ${errors.join('\n  ')}`;
    return text;
  };

  function waitFor<T>(
    what: string,
    snapshot: () => T[],
    predicate: (items: T[]) => unknown,
    timeoutMs: number,
  ): Promise<T[]> {
    return new Promise<T[]>((resolve, reject) => {
      if (closed) {
        reject(new Error(`${what}: receiver is closed`));
        return;
      }
      let lastError: unknown;
      const evaluate = (): T[] | undefined => {
        const items = snapshot();
        try {
          if (predicate(items)) return items;
        } catch (e) {
          lastError = e;
        }
        return undefined;
      };
      const first = evaluate();
      if (first) {
        resolve(first);
        return;
      }
      const timer = setTimeout(() => {
        const last = lastError === undefined ? '' : `\nlast predicate error: ${errorMessage(lastError)}`;
        waiter.fail(new Error(`${what} timed out after ${timeoutMs}ms; ${summary()}${last}`));
      }, timeoutMs);
      const waiter: Waiter = {
        check: () => {
          const items = evaluate();
          if (!items) return false;
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve(items);
          return true;
        },
        fail: (err) => {
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(err);
        },
      };
      waiters.add(waiter);
    });
  }

  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans: () => spans.slice(),
    metrics: () => metrics.slice(),
    requests: () => requests.slice(),
    errors: () => errors.slice(),
    waitForSpans: (predicate, timeoutMs = 10_000) => waitFor('waitForSpans', () => spans.slice(), predicate, timeoutMs),
    waitForMetrics: (predicate, timeoutMs = 10_000) =>
      waitFor('waitForMetrics', () => metrics.slice(), predicate, timeoutMs),
    clear: () => {
      spans = [];
      metrics = [];
      requests = [];
      errors = [];
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const w of [...waiters]) w.fail(new Error(`receiver closed while waiting; ${summary()}`));
      await Promise.allSettled([...forwards]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
