/** Turns decoded OTLP (protobuf or JSON) into the plain objects of types.ts; tolerant of both value shapes. */
import { decodeProtobuf } from './protobuf.ts';
import type {
  AttributeValue,
  Attributes,
  ReceivedDataPoint,
  ReceivedMetric,
  ReceivedScope,
  ReceivedSpan,
} from './types.ts';

const utf8 = new TextDecoder('utf-8');

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
