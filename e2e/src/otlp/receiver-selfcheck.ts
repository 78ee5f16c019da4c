/**
 * Prototype check for the OTLP receiver (plain script, not jest):
 *
 *   node e2e/src/otlp/receiver.test-proto.ts      # Node >= 22.18 / 24 (type stripping)
 *
 * Starts the receiver, runs a child Node process with the OpenTelemetry
 * NodeSDK exporting to it in four configurations (explicit protobuf exporters,
 * explicit http/json exporters, env-configured protobuf+gzip, env-configured
 * json+gzip), and checks that spans and metrics arrive decoded identically.
 * Also probes the receiver's HTTP edge cases directly.
 *
 * The @opentelemetry packages are resolved from this file's location
 * (import.meta.resolve), so they must be installed for the e2e package.
 */
import assert from 'node:assert/strict';
import { outputTail, runNode } from '../node-process.ts';
import { gzipSync } from 'node:zlib';
import { startOtlpReceiver } from './receiver.ts';
import type { OtlpReceiver, ReceivedMetric, ReceivedSpan } from './receiver.ts';
import {
  countByName,
  expectAttributes,
  expectChildOf,
  expectEnded,
  expectKind,
  expectLinkedTo,
  expectSameTrace,
  findSpan,
  renderTree,
  spansNamed,
  TraceAssertionError,
} from './trace-assertions.ts';

// ---------------------------------------------------------------------------
// tiny runner
// ---------------------------------------------------------------------------

let passed = 0;
let failed = 0;

async function check(name: string, fn: () => unknown): Promise<void> {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(
      `FAIL ${name}\n     ${String((e as Error)?.stack ?? e)
        .split('\n')
        .join('\n     ')}`,
    );
  }
}

// ---------------------------------------------------------------------------
// child process
// ---------------------------------------------------------------------------

const modules = {
  api: import.meta.resolve('@opentelemetry/api'),
  sdkNode: import.meta.resolve('@opentelemetry/sdk-node'),
  sdkMetrics: import.meta.resolve('@opentelemetry/sdk-metrics'),
  traceProto: import.meta.resolve('@opentelemetry/exporter-trace-otlp-proto'),
  traceHttp: import.meta.resolve('@opentelemetry/exporter-trace-otlp-http'),
  metricsProto: import.meta.resolve('@opentelemetry/exporter-metrics-otlp-proto'),
  metricsHttp: import.meta.resolve('@opentelemetry/exporter-metrics-otlp-http'),
};

const CHILD_SOURCE = `
const M = JSON.parse(process.env.CHECK_MODULES);
const mode = process.env.CHECK_MODE;
const endpoint = process.env.CHECK_ENDPOINT;
const api = await import(M.api);
const { NodeSDK } = await import(M.sdkNode);
const { PeriodicExportingMetricReader } = await import(M.sdkMetrics);

const options = { serviceName: 'otlp-check', autoDetectResources: false };
if (mode === 'proto' || mode === 'json') {
  const { OTLPTraceExporter } = await import(mode === 'proto' ? M.traceProto : M.traceHttp);
  const { OTLPMetricExporter } = await import(mode === 'proto' ? M.metricsProto : M.metricsHttp);
  options.traceExporter = new OTLPTraceExporter({ url: endpoint + '/v1/traces' });
  options.metricReaders = [new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: endpoint + '/v1/metrics' }),
    exportIntervalMillis: 100,
    exportTimeoutMillis: 100,
  })];
}
// env-* modes: exporters, protocol, compression and the (default 60 s) metric
// interval all come from OTEL_* environment variables.
const sdk = new NodeSDK(options);
sdk.start();

const tracer = api.trace.getTracer('otlp-check-tracer', '1.2.3');
const meter = api.metrics.getMeter('otlp-check-meter', '4.5.6');

const linkTarget = tracer.startSpan('link-target', { root: true });
linkTarget.end();

const ids = {};
tracer.startActiveSpan('orders publish', {
  kind: api.SpanKind.PRODUCER,
  links: [{ context: linkTarget.spanContext(), attributes: { 'link.reason': 'batch' } }],
  attributes: {
    'messaging.system.name': 'rabbitmq',
    'attr.string': 'hello ünïcødé ✓',
    'attr.empty': '',
    'attr.int': 42,
    'attr.zero': 0,
    'attr.negative': -7,
    'attr.big': 9007199254740991,
    'attr.double': 3.25,
    'attr.bool': true,
    'attr.false': false,
    'attr.strings': ['a', 'b'],
    'attr.ints': [1, 2, 3],
    'attr.doubles': [1.5, -2.5],
    'attr.bools': [true, false],
  },
}, (span) => {
  span.addEvent('message.sent', { 'messaging.message.id': 'm-1', retry: 2 });
  const child = tracer.startSpan('child op');
  ids.child = child.spanContext().spanId;
  child.end();
  span.setStatus({ code: api.SpanStatusCode.ERROR, message: 'boom' });
  ids.traceId = span.spanContext().traceId;
  ids.producer = span.spanContext().spanId;
  span.end();
});
for (const [name, kind] of [['kind client', api.SpanKind.CLIENT], ['kind server', api.SpanKind.SERVER], ['kind consumer', api.SpanKind.CONSUMER]]) {
  tracer.startSpan(name, { kind }).end();
}
ids.linkTraceId = linkTarget.spanContext().traceId;
ids.linkSpanId = linkTarget.spanContext().spanId;

const histogram = meter.createHistogram('check.duration', { unit: 'ms', description: 'how long' });
for (const v of [3, 30, 300]) histogram.record(v, { queue: 'orders' });
const counter = meter.createCounter('check.messages', { description: 'messages', valueType: api.ValueType.INT });
counter.add(2, { queue: 'orders' });
counter.add(5, { queue: 'orders' });
const inflight = meter.createUpDownCounter('check.inflight', { valueType: api.ValueType.INT });
inflight.add(-3, { queue: 'orders' });
meter.createObservableGauge('check.depth', { unit: '{message}' }).addCallback((r) => r.observe(42.5, { queue: 'orders' }));

if (mode === 'proto' || mode === 'json') await new Promise((r) => setTimeout(r, 350)); // a few periodic exports
await sdk.shutdown();
console.log('RESULT ' + JSON.stringify(ids));
`;

interface ChildIds {
  traceId: string;
  producer: string;
  child: string;
  linkTraceId: string;
  linkSpanId: string;
}

type Mode = 'proto' | 'json' | 'env-proto-gzip' | 'env-json-gzip';

async function runChild(mode: Mode, endpoint: string): Promise<ChildIds> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CHECK_MODE: mode,
    CHECK_ENDPOINT: endpoint,
    CHECK_MODULES: JSON.stringify(modules),
    OTEL_LOGS_EXPORTER: 'none',
  };
  if (mode.startsWith('env-')) {
    env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
    env.OTEL_EXPORTER_OTLP_COMPRESSION = 'gzip';
    // default protocol is http/protobuf; set json explicitly for the json mode
    if (mode === 'env-json-gzip') env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';
  }
  const run = await runNode({
    args: ['--input-type=module', '-e', CHILD_SOURCE],
    cwd: process.cwd(),
    env,
    timeoutMs: 30_000,
  });
  if (run.code !== 0 || run.result === undefined)
    throw new Error(`child (${mode}) exited ${run.code ?? run.signal}${outputTail(run.stdout, run.stderr, Infinity)}`);
  if (run.stderr.trim()) console.log(`     child (${mode}) stderr: ${run.stderr.trim().split('\n').join('\n       ')}`);
  return run.result as ChildIds;
}

// ---------------------------------------------------------------------------
// expectations shared by all modes
// ---------------------------------------------------------------------------

const EXPECTED_ATTRIBUTES = {
  'messaging.system.name': 'rabbitmq',
  'attr.string': 'hello ünïcødé ✓',
  'attr.empty': '',
  'attr.int': 42,
  'attr.zero': 0,
  'attr.negative': -7,
  'attr.big': 9007199254740991,
  'attr.double': 3.25,
  'attr.bool': true,
  'attr.false': false,
  'attr.strings': ['a', 'b'],
  'attr.ints': [1, 2, 3],
  'attr.doubles': [1.5, -2.5],
  'attr.bools': [true, false],
};

const EXPECTED_SPANS = ['link-target', 'orders publish', 'child op', 'kind client', 'kind server', 'kind consumer'];
const EXPECTED_METRICS = ['check.duration', 'check.messages', 'check.inflight', 'check.depth'];
const DEFAULT_BOUNDS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

function lastMetric(metrics: ReceivedMetric[], name: string): ReceivedMetric {
  const found = metrics.filter((m) => m.name === name);
  assert.ok(
    found.length > 0,
    `metric ${name} not received; got ${[...new Set(metrics.map((m) => m.name))].join(', ')}`,
  );
  return found[found.length - 1]!;
}

function checkSpans(spans: ReceivedSpan[], ids: ChildIds, startedAtNs: bigint, endedAtNs: bigint): void {
  const producer = findSpan(spans, {
    name: 'orders publish',
    kind: 'PRODUCER',
    attributes: { 'messaging.system.name': 'rabbitmq' },
  });
  expectKind(producer, 'PRODUCER');
  expectAttributes(producer, EXPECTED_ATTRIBUTES);
  assert.deepEqual(producer.attributes, EXPECTED_ATTRIBUTES, 'no extra/missing attributes');
  assert.equal(producer.traceId, ids.traceId);
  assert.equal(producer.spanId, ids.producer);
  assert.match(producer.traceId, /^[0-9a-f]{32}$/);
  assert.match(producer.spanId, /^[0-9a-f]{16}$/);
  assert.equal(producer.parentSpanId, undefined);
  assert.deepEqual(producer.status, { code: 'ERROR', message: 'boom' });
  assert.equal(producer.events.length, 1);
  assert.equal(producer.events[0]!.name, 'message.sent');
  assert.deepEqual(producer.events[0]!.attributes, { 'messaging.message.id': 'm-1', retry: 2 });
  assert.ok(producer.events[0]!.timeUnixNano >= producer.startTimeUnixNano);
  assert.deepEqual(producer.scope, { name: 'otlp-check-tracer', version: '1.2.3' });
  assert.equal(producer.resource['service.name'], 'otlp-check');
  assert.equal(producer.resource['telemetry.sdk.language'], 'nodejs');
  assert.ok(
    producer.startTimeUnixNano >= startedAtNs && producer.endTimeUnixNano <= endedAtNs,
    'timestamps are wall-clock ns',
  );

  const target = findSpan(spans, { name: 'link-target' });
  assert.equal(target.traceId, ids.linkTraceId);
  assert.equal(target.spanId, ids.linkSpanId);
  assert.notEqual(target.traceId, producer.traceId);
  const link = expectLinkedTo(producer, target);
  assert.deepEqual(link.attributes, { 'link.reason': 'batch' });
  assert.equal(producer.links.length, 1);

  const child = findSpan(spans, { name: 'child op', kind: 'INTERNAL' });
  assert.equal(child.spanId, ids.child);
  expectChildOf(child, producer);
  expectSameTrace(child, producer);
  assert.deepEqual(child.status, { code: 'UNSET' });

  findSpan(spans, { name: 'kind client', kind: 'CLIENT' });
  findSpan(spans, { name: 'kind server', kind: 'SERVER' });
  findSpan(spans, { name: 'kind consumer', kind: 'CONSUMER' });
  for (const s of spans) expectEnded(s);
  assert.deepEqual(
    countByName(spans),
    Object.fromEntries(EXPECTED_SPANS.map((n) => [n, 1])),
    'each span exported exactly once',
  );
}

function checkMetrics(metrics: ReceivedMetric[]): void {
  const h = lastMetric(metrics, 'check.duration');
  assert.equal(h.type, 'histogram');
  assert.equal(h.unit, 'ms');
  assert.equal(h.description, 'how long');
  assert.equal(h.temporality, 'CUMULATIVE');
  assert.deepEqual(h.scope, { name: 'otlp-check-meter', version: '4.5.6' });
  assert.equal(h.resource['service.name'], 'otlp-check');
  assert.equal(h.dataPoints.length, 1);
  const hp = h.dataPoints[0]!;
  assert.deepEqual(hp.attributes, { queue: 'orders' });
  assert.equal(hp.count, 3);
  assert.equal(hp.sum, 333);
  assert.equal(hp.min, 3);
  assert.equal(hp.max, 300);
  assert.deepEqual(hp.explicitBounds, DEFAULT_BOUNDS);
  const expectedBuckets = new Array(DEFAULT_BOUNDS.length + 1).fill(0);
  expectedBuckets[1] = 1; // (0, 5]
  expectedBuckets[4] = 1; // (25, 50]
  expectedBuckets[8] = 1; // (250, 500]
  assert.deepEqual(hp.bucketCounts, expectedBuckets);
  assert.ok(hp.timeUnixNano >= hp.startTimeUnixNano && hp.startTimeUnixNano > 0n);

  const c = lastMetric(metrics, 'check.messages');
  assert.equal(c.type, 'sum');
  assert.equal(c.isMonotonic, true);
  assert.equal(c.temporality, 'CUMULATIVE');
  assert.equal(c.description, 'messages');
  assert.deepEqual(
    c.dataPoints.map((p) => [p.attributes, p.value]),
    [[{ queue: 'orders' }, 7]],
  );

  const u = lastMetric(metrics, 'check.inflight');
  assert.equal(u.type, 'sum');
  assert.equal(u.isMonotonic, false);
  assert.deepEqual(
    u.dataPoints.map((p) => p.value),
    [-3],
  );

  const g = lastMetric(metrics, 'check.depth');
  assert.equal(g.type, 'gauge');
  assert.equal(g.unit, '{message}');
  assert.deepEqual(
    g.dataPoints.map((p) => [p.attributes, p.value]),
    [[{ queue: 'orders' }, 42.5]],
  );
}

/** encoding-independent view, to compare what two encodings delivered */
function comparable(spans: ReceivedSpan[], metrics: ReceivedMetric[]): unknown {
  const byName = new Map(spans.map((s) => [s.spanId, s.name]));
  const s = spans
    .map((sp) => ({
      name: sp.name,
      kind: sp.kind,
      parent: sp.parentSpanId ? byName.get(sp.parentSpanId) : null,
      attributes: sp.attributes,
      status: sp.status,
      links: sp.links.map((l) => ({ to: byName.get(l.spanId), attributes: l.attributes })),
      events: sp.events.map((e) => ({ name: e.name, attributes: e.attributes })),
      resource: { ...sp.resource, 'service.instance.id': null },
      scope: sp.scope,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const m = EXPECTED_METRICS.map((name) => {
    const { dataPoints, ...rest } = lastMetric(metrics, name);
    return {
      ...rest,
      resource: { ...rest.resource, 'service.instance.id': null },
      dataPoints: dataPoints.map(({ startTimeUnixNano: _s, timeUnixNano: _t, ...p }) => p),
    };
  });
  return { spans: s, metrics: m };
}

// ---------------------------------------------------------------------------
// hand-made protobuf, for wire-format corner cases the SDK does not produce
// ---------------------------------------------------------------------------

function varint(n: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const tag = (field: number, wire: number): number[] => varint(BigInt((field << 3) | wire));
const len = (field: number, payload: number[]): number[] => [
  ...tag(field, 2),
  ...varint(BigInt(payload.length)),
  ...payload,
];
const text = (field: number, s: string): number[] => len(field, [...Buffer.from(s, 'utf8')]);
const fixed64 = (field: number, v: bigint): number[] => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, v));
  return [...tag(field, 1), ...b];
};
const double = (field: number, v: number): number[] => {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return [...tag(field, 1), ...b];
};
const unknownFields = (): number[] => [
  ...tag(99, 0),
  ...varint(123n),
  ...fixed64(98, 1n),
  ...len(97, [1, 2, 3]),
  ...tag(96, 5),
  0,
  0,
  0,
  0,
  ...tag(95, 3),
  ...tag(1, 0),
  1,
  ...tag(95, 4), // group
];
const kv = (key: string, anyValue: number[]): number[] => [...text(1, key), ...len(2, anyValue)];

function handMadeMetricsRequest(): Buffer {
  // HistogramDataPoint with *unpacked* bucket_counts / explicit_bounds and unknown fields everywhere
  const point = [
    ...unknownFields(),
    ...len(9, kv('neg', [...tag(3, 0), ...varint(-5n)])), // int_value -5 as 10-byte varint
    ...len(9, kv('list', len(6, len(1, kv('inner', text(1, 'x')))))), // kvlist_value
    ...len(9, kv('raw', len(7, [0xde, 0xad]))), // bytes_value
    ...fixed64(2, 1000n),
    ...fixed64(3, 2000n),
    ...fixed64(4, 3n),
    ...double(5, 7.5),
    ...fixed64(6, 1n),
    ...fixed64(6, 2n), // unpacked
    ...double(7, 10),
  ];
  const histogram = [...len(1, point), ...tag(2, 0), 1 /* DELTA */];
  const metric = [...text(1, 'hand.made'), ...text(3, 's'), ...len(9, histogram), ...unknownFields()];
  const scopeMetrics = [...len(1, text(1, 'hand-scope')), ...len(2, metric)];
  const resource = len(1, kv('service.name', text(1, 'hand')));
  const resourceMetrics = [...len(1, resource), ...len(2, scopeMetrics)];
  return Buffer.from(len(1, resourceMetrics));
}

async function post(
  receiver: OtlpReceiver,
  path: string,
  body: Buffer | string,
  headers: Record<string, string>,
  method = 'POST',
): Promise<{ status: number; type: string | null; body: Buffer }> {
  const res = await fetch(receiver.endpoint + path, {
    method,
    headers,
    body: method === 'GET' ? null : typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

// ---------------------------------------------------------------------------
// main
// ---------------------------------------------------------------------------

const receiver = await startOtlpReceiver();
console.log(`receiver listening at ${receiver.endpoint} (node ${process.version})`);
const views: Partial<Record<Mode, unknown>> = {};

try {
  await check('endpoint is http://127.0.0.1:<port>', () => {
    assert.match(receiver.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  for (const mode of ['proto', 'json', 'env-proto-gzip', 'env-json-gzip'] as Mode[]) {
    receiver.clear();
    const startedAtNs = BigInt(Date.now()) * 1_000_000n;
    let ids: ChildIds | undefined;
    await check(`[${mode}] child process with NodeSDK runs and shuts down`, async () => {
      ids = await runChild(mode, receiver.endpoint);
    });
    if (!ids) continue;
    const endedAtNs = BigInt(Date.now()) * 1_000_000n;
    const atExit = { spans: receiver.spans().length, metrics: new Set(receiver.metrics().map((m) => m.name)).size };

    await check(`[${mode}] sdk.shutdown() flushed everything before the child exited`, () => {
      assert.equal(atExit.spans, EXPECTED_SPANS.length, 'spans present at exit');
      assert.equal(atExit.metrics, EXPECTED_METRICS.length, 'metric names present at exit');
    });
    let spans: ReceivedSpan[] = [];
    await check(`[${mode}] waitForSpans sees all spans`, async () => {
      spans = await receiver.waitForSpans((s) => EXPECTED_SPANS.every((n) => spansNamed(s, n).length > 0), 5000);
    });
    await check(`[${mode}] spans decoded correctly`, () => checkSpans(spans, ids!, startedAtNs, endedAtNs));
    await check(`[${mode}] metrics decoded correctly`, () => checkMetrics(receiver.metrics()));
    await check(`[${mode}] requests used the expected encoding`, () => {
      const reqs = receiver.requests();
      const wantEncoding = mode.includes('json') ? 'json' : 'protobuf';
      const wantCompression = mode.endsWith('gzip') ? 'gzip' : 'identity';
      assert.ok(reqs.some((r) => r.signal === 'traces') && reqs.some((r) => r.signal === 'metrics'), 'both signals');
      for (const r of reqs) {
        assert.equal(r.encoding, wantEncoding, `${r.signal} encoding`);
        assert.equal(r.contentEncoding, wantCompression, `${r.signal} compression`);
        assert.equal(r.status, 200);
      }
      assert.deepEqual(receiver.errors(), []);
      const metricRequests = reqs.filter((r) => r.signal === 'metrics').length;
      console.log(`     ${reqs.length} request(s): traces=${reqs.length - metricRequests} metrics=${metricRequests}`);
    });
    views[mode] = comparable(spans, receiver.metrics());
    if (mode === 'proto') console.log(`     rendered tree:\n${renderTree(spans).replace(/^/gm, '     ')}`);
  }

  await check('all four encodings/configurations decode to the same spans and metrics', () => {
    assert.ok(views.proto, 'proto run produced data');
    for (const mode of ['json', 'env-proto-gzip', 'env-json-gzip'] as Mode[]) {
      assert.deepEqual(views[mode], views.proto, `${mode} vs proto`);
    }
  });

  // ---- assertion helpers: failure messages ---------------------------------
  const spans = receiver.spans();
  await check('assertion failures include a rendered span tree', () => {
    const producer = findSpan(spans, { name: 'orders publish' });
    const target = findSpan(spans, { name: 'link-target' });
    assert.throws(
      () => expectChildOf(target, producer),
      (e: unknown) =>
        e instanceof TraceAssertionError &&
        /"link-target" is not a child of "orders publish": they are in different traces/.test(e.message) &&
        e.message.includes('Received spans (6):') &&
        e.message.includes('└─ orders publish [PRODUCER]') &&
        e.message.includes('↪ link → "link-target"'),
    );
    assert.throws(
      () =>
        findSpan(spans, {
          name: 'orders publish',
          kind: 'CONSUMER',
          attributes: { 'attr.int': 41, 'attr.none': undefined },
        }),
      (e: unknown) =>
        e instanceof Error &&
        e.message.includes('kind PRODUCER, expected CONSUMER') &&
        e.message.includes('attr.int: expected 41, got 42') &&
        e.message.includes('trace '),
    );
    assert.throws(() => expectAttributes(producer, { 'attr.string': /^bye/ }), /attr.string: expected matching/);
    assert.throws(() => expectLinkedTo(target, producer), /has no link to "orders publish"/);
    assert.throws(() => expectSameTrace(target, producer), /different traces/);
    assert.throws(() => expectKind(producer, 'CLIENT'), /has kind PRODUCER, expected CLIENT/);
    assert.throws(() => expectEnded({ ...producer, endTimeUnixNano: 0n }), /want end >= start > 0/);
  });

  await check('waitForSpans timeout lists the span names received so far', async () => {
    await assert.rejects(
      receiver.waitForSpans((s) => s.some((x) => x.name === 'never'), 150),
      (e: Error) =>
        /timed out after 150ms/.test(e.message) &&
        e.message.includes('"orders publish"') &&
        e.message.includes('"child op"'),
    );
  });

  await check('waitForSpans resolves when spans arrive later; throwing predicate = not yet', async () => {
    receiver.clear();
    const waiting = receiver.waitForSpans((s) => findSpan(s, { name: 'late' }), 3000);
    const body = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '0af7651916cd43dd8448eb211c80319c',
                  spanId: 'b7ad6b7169203331',
                  name: 'late',
                  kind: 1,
                  startTimeUnixNano: '1',
                  endTimeUnixNano: '2',
                },
              ],
            },
          ],
        },
      ],
    });
    setTimeout(() => void post(receiver, '/v1/traces', body, { 'content-type': 'application/json' }), 50);
    const got = await waiting;
    assert.equal(got.length, 1);
  });

  // ---- HTTP edge cases ------------------------------------------------------
  await check('JSON variants: snake_case keys, base64 ids, string int64, enum names', async () => {
    receiver.clear();
    const body = JSON.stringify({
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'snake' } }] },
          scope_spans: [
            {
              scope: { name: 's' },
              spans: [
                {
                  trace_id: Buffer.from('0af7651916cd43dd8448eb211c80319c', 'hex').toString('base64'),
                  span_id: Buffer.from('b7ad6b7169203331', 'hex').toString('base64'),
                  parent_span_id: '00f067aa0ba902b7',
                  name: 'snake span',
                  kind: 'SPAN_KIND_CONSUMER',
                  start_time_unix_nano: '1700000000000000001',
                  end_time_unix_nano: 1700000000000000000,
                  attributes: [
                    { key: 'i', value: { int_value: '-9007199254740993' } },
                    { key: 'd', value: { double_value: 'Infinity' } },
                    { key: 'b', value: { bool_value: false } },
                  ],
                  status: { code: 'STATUS_CODE_OK' },
                },
              ],
            },
          ],
        },
      ],
    });
    const res = await post(receiver, '/v1/traces', gzipSync(body), {
      'content-type': 'application/json; charset=utf-8',
      'content-encoding': 'gzip',
    });
    assert.equal(res.status, 200);
    assert.equal(res.type, 'application/json');
    assert.equal(res.body.toString(), '{}');
    const [s] = receiver.spans();
    assert.ok(s);
    assert.equal(s.traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(s.spanId, 'b7ad6b7169203331');
    assert.equal(s.parentSpanId, '00f067aa0ba902b7');
    assert.equal(s.kind, 'CONSUMER');
    assert.equal(s.startTimeUnixNano, 1700000000000000001n);
    assert.deepEqual(s.status, { code: 'OK' });
    assert.deepEqual(s.attributes, { i: -9007199254740992, d: Infinity, b: false });
    assert.deepEqual(s.resource, { 'service.name': 'snake' });
  });

  await check('hand-made protobuf: unpacked repeated, unknown fields, negative int64, kvlist, bytes', async () => {
    receiver.clear();
    const res = await post(receiver, '/v1/metrics', handMadeMetricsRequest(), {
      'content-type': 'application/x-protobuf',
    });
    assert.equal(res.status, 200, res.body.toString());
    assert.equal(res.type, 'application/x-protobuf');
    assert.equal(res.body.length, 0, 'empty ExportMetricsServiceResponse');
    const [m] = receiver.metrics();
    assert.ok(m);
    assert.equal(m.name, 'hand.made');
    assert.equal(m.unit, 's');
    assert.equal(m.type, 'histogram');
    assert.equal(m.temporality, 'DELTA');
    assert.deepEqual(m.scope, { name: 'hand-scope' });
    assert.deepEqual(m.resource, { 'service.name': 'hand' });
    assert.deepEqual(m.dataPoints, [
      {
        attributes: { neg: -5, list: { inner: 'x' }, raw: '3q0=' },
        startTimeUnixNano: 1000n,
        timeUnixNano: 2000n,
        count: 3,
        sum: 7.5,
        bucketCounts: [1, 2],
        explicitBounds: [10],
      },
    ]);
  });

  await check('/v1/logs accepted and discarded (json and gzip protobuf)', async () => {
    receiver.clear();
    const a = await post(receiver, '/v1/logs', '{"resourceLogs":[]}', { 'content-type': 'application/json' });
    assert.deepEqual([a.status, a.type, a.body.toString()], [200, 'application/json', '{}']);
    const b = await post(receiver, '/v1/logs', gzipSync(Buffer.from([0x0a, 0x00])), {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
    });
    assert.deepEqual([b.status, b.type, b.body.length], [200, 'application/x-protobuf', 0]);
    assert.equal(receiver.spans().length + receiver.metrics().length, 0);
  });

  await check('bad requests: 415 content-type, 405 method, 404 path, 400 malformed body', async () => {
    receiver.clear();
    assert.equal((await post(receiver, '/v1/traces', 'x', { 'content-type': 'text/plain' })).status, 415);
    assert.equal((await post(receiver, '/v1/traces', '', {}, 'GET')).status, 405);
    assert.equal((await post(receiver, '/v1/nope', '{}', { 'content-type': 'application/json' })).status, 404);
    const truncated = await post(receiver, '/v1/traces', Buffer.from([0x0a, 0x05, 0x01]), {
      'content-type': 'application/x-protobuf',
    });
    assert.equal(truncated.status, 400);
    assert.match(truncated.body.toString('latin1'), /truncated input/);
    assert.equal((await post(receiver, '/v1/metrics', '{nope', { 'content-type': 'application/json' })).status, 400);
    assert.equal(
      (
        await post(receiver, '/v1/traces', Buffer.from('not gzip'), {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        })
      ).status,
      400,
    );
    assert.equal(receiver.errors().length, 6);
  });
} finally {
  await check('close() resolves and rejects pending waits', async () => {
    const pending = receiver.waitForSpans(() => false, 60_000);
    await receiver.close();
    await assert.rejects(pending, /receiver closed/);
  });
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
