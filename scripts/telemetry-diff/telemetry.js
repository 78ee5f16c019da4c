// The collecting side of the differential check: one TracerProvider (sampler
// from TELEMETRY_DIFF_SAMPLER), an in-memory span exporter, a delta metric
// reader, and `scenario()`, which runs a piece of workload under a fixed remote
// parent and returns its normalised spans and metrics.
const { context, metrics, trace, TraceFlags } = require('@opentelemetry/api');
const {
  AlwaysOnSampler,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} = require('@opentelemetry/sdk-trace');
const { AggregationTemporality, MeterProvider, MetricReader } = require('@opentelemetry/sdk-metrics');
const { normaliseMetrics, normaliseSpans } = require('./normalise');

const SAMPLER = process.env.TELEMETRY_DIFF_SAMPLER ?? 'always_on';
if (SAMPLER !== 'always_on' && SAMPLER !== 'parent_ratio') throw new Error(`unknown sampler ${SAMPLER}`);
/** always_on: every span records; parent_ratio: parent-based, ratio 0 at the root, under an unsampled parent. */
const SAMPLED = SAMPLER === 'always_on';

const PARENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';
/** The producer context carried in consumed messages: sampled or not, with the run's sampler. */
const TRACEPARENT = `00-${PARENT_TRACE_ID}-${PARENT_SPAN_ID}-${SAMPLED ? '01' : '00'}`;

class DeltaReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }
  onForceFlush() {
    return Promise.resolve();
  }
  onShutdown() {
    return Promise.resolve();
  }
}

const exporter = new InMemorySpanExporter();
const sampler = SAMPLED ? new AlwaysOnSampler() : new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0) });
const tracerProvider = new TracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
const reader = new DeltaReader();
const meterProvider = new MeterProvider({ readers: [reader] });
// Before any instrumentation is constructed, so each takes its meter from here.
metrics.setGlobalMeterProvider(meterProvider);

/** Points an instrumentation at the collecting providers. */
function instrument(instrumentation) {
  instrumentation.setTracerProvider(tracerProvider);
  instrumentation.setMeterProvider(meterProvider);
  return instrumentation;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `work` with the fixed remote parent active, lets callbacks settle, and
 * returns what it emitted. `others` are exporters that must stay empty (the test
 * fakes' own), proving every span reached the collecting provider.
 */
async function scenario(name, work, others = []) {
  for (const other of others) other.reset();
  const parent = trace.setSpanContext(context.active(), {
    traceId: PARENT_TRACE_ID,
    spanId: PARENT_SPAN_ID,
    traceFlags: SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
  let outcome = 'ok';
  try {
    await context.with(parent, work);
  } catch (error) {
    // A mistake in the workload itself, not an outcome to record.
    if (error instanceof ReferenceError) throw error;
    outcome = `threw ${error === undefined ? 'undefined' : (error?.constructor?.name ?? typeof error)}`;
  }
  for (let i = 0; i < 5; i++) await flush();
  for (const other of others) {
    const stray = other.getFinishedSpans();
    if (stray.length > 0) throw new Error(`${name}: ${stray.length} span(s) went to a fake's own exporter`);
  }
  const spans = normaliseSpans(exporter.getFinishedSpans(), PARENT_SPAN_ID);
  exporter.reset();
  const collected = await reader.collect();
  if (collected.errors.length > 0) throw new Error(`${name}: metric collection failed: ${collected.errors}`);
  return { scenario: name, outcome, spans, metrics: normaliseMetrics(collected.resourceMetrics) };
}

/** Writes one plugin's snapshot to TELEMETRY_DIFF_OUT/<plugin>-<sampler>.json. */
function writeSnapshot(plugin, results) {
  const fs = require('node:fs');
  const path = require('node:path');
  const out = process.env.TELEMETRY_DIFF_OUT;
  if (!out) throw new Error('set TELEMETRY_DIFF_OUT to the folder for the snapshots');
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `${plugin}-${SAMPLER}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ plugin, sampler: SAMPLER, scenarios: results }, null, 2)}\n`);
  return file;
}

module.exports = { SAMPLED, SAMPLER, TRACEPARENT, instrument, scenario, writeSnapshot, flush };
