// The one SDK every instrumented variant runs under: a tracer provider with a
// span processor that drops every span (so export cost never hides
// instrumentation cost), a meter provider whose reader aggregates but never
// exports, AsyncLocalStorage context, W3C trace-context + baggage propagation.
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { ReadableSpan, Sampler, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { createRequire } from 'node:module';
import type * as PeerConfluent from '@instana/instrumentation-confluent-kafka-javascript';
import type * as UpstreamAmqplib from '@opentelemetry/instrumentation-amqplib';
import type * as UpstreamAwsSdk from '@opentelemetry/instrumentation-aws-sdk';
import type * as UpstreamKafkaJs from '@opentelemetry/instrumentation-kafkajs';
import type * as OursAmqplib from '@org/instrumentation-amqplib';
import type * as OursAwsSqs from '@org/instrumentation-aws-sqs';
import type * as OursConfluent from '@org/instrumentation-confluent-kafka';
import type * as OursKafkaJs from '@org/instrumentation-kafkajs';

export type Sampling = 'always-on' | 'parent-10%';
export const SAMPLINGS: readonly Sampling[] = ['always-on', 'parent-10%'];
export type SystemName = 'kafkajs' | 'confluent-kafka' | 'amqplib' | 'sqs';

/** Counts ended spans and drops them: the cheapest honest "exporter". */
class DroppingSpanProcessor implements SpanProcessor {
  ended = 0;
  onStart(_span: Span, _parentContext: Context): void {}
  onEnd(_span: ReadableSpan): void {
    this.ended++;
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** Aggregates what instruments record (as in production) and never exports it. */
class NeverExportingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function sampler(sampling: Sampling): Sampler {
  return sampling === 'always-on'
    ? new AlwaysOnSampler()
    : new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.1) });
}

// CommonJS require, so that require-in-the-middle sees the clients load.
const require = createRequire(import.meta.url);

function upstreamInstrumentation(system: SystemName): Instrumentation {
  switch (system) {
    case 'kafkajs': {
      const { KafkaJsInstrumentation } = require('@opentelemetry/instrumentation-kafkajs') as typeof UpstreamKafkaJs;
      return new KafkaJsInstrumentation();
    }
    case 'confluent-kafka': {
      // No upstream contrib instrumentation exists: the peer is the third-party OTel plugin (issue 16).
      const { ConfluentKafkaInstrumentation } =
        require('@instana/instrumentation-confluent-kafka-javascript') as typeof PeerConfluent;
      return new ConfluentKafkaInstrumentation();
    }
    case 'amqplib': {
      const { AmqplibInstrumentation } = require('@opentelemetry/instrumentation-amqplib') as typeof UpstreamAmqplib;
      return new AmqplibInstrumentation();
    }
    case 'sqs': {
      const { AwsInstrumentation } = require('@opentelemetry/instrumentation-aws-sdk') as typeof UpstreamAwsSdk;
      return new AwsInstrumentation();
    }
  }
}

function ourInstrumentation(system: SystemName): Instrumentation {
  switch (system) {
    case 'kafkajs': {
      const { KafkaJsInstrumentation } = require('@org/instrumentation-kafkajs') as typeof OursKafkaJs;
      return new KafkaJsInstrumentation();
    }
    case 'confluent-kafka': {
      const { ConfluentKafkaInstrumentation } = require('@org/instrumentation-confluent-kafka') as typeof OursConfluent;
      return new ConfluentKafkaInstrumentation();
    }
    case 'amqplib': {
      const { AmqplibInstrumentation } = require('@org/instrumentation-amqplib') as typeof OursAmqplib;
      return new AmqplibInstrumentation();
    }
    case 'sqs': {
      const { AwsSqsInstrumentation } = require('@org/instrumentation-aws-sqs') as typeof OursAwsSqs;
      return new AwsSqsInstrumentation();
    }
  }
}

export interface Installed {
  /** spans ended so far (0 when uninstrumented) */
  spansEnded(): number;
}

/**
 * Installs the SDK and the variant's instrumentation. Call before the client
 * library is first required. `uninstrumented` installs nothing at all: no SDK,
 * no propagator, the client as applications run it without OpenTelemetry.
 */
export function installVariant(system: SystemName, variant: string, sampling: Sampling, withMetrics = true): Installed {
  if (variant === 'uninstrumented') return { spansEnded: () => 0 };
  const processor = new DroppingSpanProcessor();
  const tracerProvider = new TracerProvider({ sampler: sampler(sampling), spanProcessors: [processor] });
  // Without a MeterProvider the instrumentations get the API's no-op meter, as with OTEL_METRICS_EXPORTER=none.
  const meterProvider = withMetrics ? new MeterProvider({ readers: [new NeverExportingReader()] }) : undefined;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(tracerProvider);
  if (meterProvider) metrics.setGlobalMeterProvider(meterProvider);
  const instrumentation = variant === 'upstream' ? upstreamInstrumentation(system) : ourInstrumentation(system);
  registerInstrumentations({
    instrumentations: [instrumentation],
    tracerProvider,
    ...(meterProvider ? { meterProvider } : {}),
  });
  return { spansEnded: () => processor.ended };
}
