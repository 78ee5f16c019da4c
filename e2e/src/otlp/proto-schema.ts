/**
 * The slice of opentelemetry-proto v1 the e2e receiver decodes: message types and
 * field numbers from opentelemetry/proto/{common,resource,trace,metrics,collector}/v1/*.proto.
 * Only the messages/fields needed here are listed; the decoder skips unknown fields.
 */
export type FieldKind =
  'string' | 'bytes' | 'bool' | 'uint32' | 'int64' | 'enum' | 'fixed32' | 'fixed64' | 'sfixed64' | 'double' | 'message';

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  readonly repeated?: boolean;
  /** message type name, for kind 'message' */
  readonly type?: string;
}

export type MessageSpec = Readonly<Record<number, FieldSpec>>;

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
