// What one message costs in the OpenTelemetry SDK alone, with no broker and no
// instrumentation: the calls any instrumentation that emits a semconv span (and
// metrics) per message must make. They bound the overhead ratios: when both
// plugins start one span per message, ours cannot cost less than that span.
// Prints JSON to the file in argv[2].
import { context, metrics, propagation, ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import type { Attributes, Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { Sampler } from '@opentelemetry/sdk-trace';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as MessagingPropagation from '@org/messaging-propagation';
import type * as MessagingInternal from '@org/messaging-propagation/internal';
import { nsPerCall } from './ns-per-call.ts';

const require = createRequire(import.meta.url);
const mp = {
  ...(require('@org/messaging-propagation') as typeof MessagingPropagation),
  ...(require('@org/messaging-propagation/internal') as typeof MessagingInternal),
};

export interface FloorResult {
  call: string;
  /** ns per call, always-on sampling */
  alwaysOn: number;
  /** ns per call, ParentBased(TraceIdRatio 0.1) root spans: 90% unsampled */
  tenPercent: number;
}

class NeverExportingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** A publish span's attributes as the plugins set them: six low-cardinality, five per message. */
const SPAN_ATTRIBUTES: Attributes = {
  'messaging.system.name': 'rabbitmq',
  'messaging.operation.name': 'publish',
  'messaging.operation.type': 'send',
  'messaging.destination.name': 'orders',
  'server.address': 'localhost',
  'server.port': 5672,
  'messaging.message.id': 'm-1',
  'messaging.message.conversation_id': 'c-1',
  'messaging.message.body.size': 100,
  'rabbitmq.destination.routing_key': 'orders',
  'network.peer.port': 5672,
};
const METRIC_ATTRIBUTES: Attributes = mp.metricAttributes(SPAN_ATTRIBUTES);

type Calls = Array<[string, () => unknown]>;

function calls(tracer: Tracer): Calls {
  const meter = metrics.getMeter('floor');
  const histogram = meter.createHistogram('floor.duration', { unit: 's' });
  const sdkCounter = meter.createCounter('floor.sdk.messages');
  const localCounter = new mp.AggregatingCounter(meter, 'floor.local.messages', {});
  const options = { kind: SpanKind.PRODUCER, attributes: SPAN_ATTRIBUTES };
  return [
    ['span start + end, 11 attributes', () => tracer.startSpan('publish orders', options, ROOT_CONTEXT).end()],
    [
      'span start + end + inject into a headers copy',
      () => {
        const span = tracer.startSpan('publish orders', options, ROOT_CONTEXT);
        const headers = mp.injectIntoCopy(
          trace.setSpan(ROOT_CONTEXT, span),
          { 'app-id': 'bench' },
          mp.amqpHeadersSetter,
        );
        span.end();
        return headers;
      },
    ],
    ['histogram.record, 6 metric attributes (SDK)', () => histogram.record(0.001, METRIC_ATTRIBUTES)],
    ['counter.add, 6 metric attributes (SDK Counter)', () => sdkCounter.add(1, METRIC_ATTRIBUTES)],
    ['counter.add, 6 metric attributes (ours: AggregatingCounter)', () => localCounter.add(1, METRIC_ATTRIBUTES)],
    ['metricAttributes(span attributes)', () => mp.metricAttributes(SPAN_ATTRIBUTES)],
  ];
}

function install(sampler: Sampler): { tracer: Tracer; shutdown: () => Promise<void> } {
  const tracerProvider = new TracerProvider({
    sampler,
    spanProcessors: [{ onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const meterProvider = new MeterProvider({ readers: [new NeverExportingReader()] });
  trace.disable();
  metrics.disable();
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    tracer: trace.getTracer('floor'),
    shutdown: async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

export async function runSdkFloor(iterations: number, repeats: number): Promise<FloorResult[]> {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  const measured = new Map<string, FloorResult>();
  // Alternate the two samplings twice and keep each call's best median, as micro.ts does.
  for (let pass = 0; pass < 2; pass++) {
    for (const sampling of ['alwaysOn', 'tenPercent'] as const) {
      const installed = install(
        sampling === 'alwaysOn'
          ? new AlwaysOnSampler()
          : new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.1) }),
      );
      for (const [call, fn] of calls(installed.tracer)) {
        const ns = nsPerCall(fn, iterations, repeats);
        const result = measured.get(call) ?? { call, alwaysOn: Infinity, tenPercent: Infinity };
        result[sampling] = Math.min(result[sampling], ns);
        measured.set(call, result);
      }
      await installed.shutdown();
    }
  }
  return [...measured.values()];
}

if (process.argv[1] === import.meta.filename) {
  const [out, iterations = '100000', repeats = '7'] = process.argv.slice(2);
  const results = await runSdkFloor(Number(iterations), Number(repeats));
  if (out) writeFileSync(out, JSON.stringify(results));
  else console.table(results);
}
