/** What the e2e OTLP receiver hands to tests: received spans, metrics and requests as plain objects. */
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
