import { createNoopMeter } from '@opentelemetry/api';
import type { Attributes, Histogram, Meter } from '@opentelemetry/api';
import { AggregatingCounter } from './aggregating-counter';
import type { MessageCounter } from './aggregating-counter';
import { errorType } from './errors';
import {
  ATTR_ERROR_TYPE,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME,
  ATTR_MESSAGING_DESTINATION_TEMPLATE,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES,
  METRIC_MESSAGING_CLIENT_OPERATION_DURATION,
  METRIC_MESSAGING_CLIENT_SENT_MESSAGES,
  METRIC_MESSAGING_PROCESS_DURATION,
} from './semconv';
import { ATTR_MESSAGING_SYSTEM } from './semconv-legacy';

/** Bucket boundaries (seconds) semconv advises for both messaging duration histograms. */
export const MESSAGING_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

/** The four semconv messaging instruments. */
export interface MessagingMetrics {
  /** `messaging.client.operation.duration` (s): send, receive and settle operations. */
  clientOperationDuration: Histogram;
  /** `messaging.process.duration` (s): the real time each message took to process. */
  processDuration: Histogram;
  /** `messaging.client.sent.messages` ({message}), aggregated locally and reported at collection */
  sentMessages: MessageCounter;
  /** `messaging.client.consumed.messages` ({message}), aggregated locally and reported at collection */
  consumedMessages: MessageCounter;
  /**
   * The meter is the API's no-op meter (no MeterProvider, `OTEL_METRICS_EXPORTER=none`):
   * every record would be dropped, so operations build no metric attributes at all.
   */
  noop?: boolean;
}

/** The class of the API's no-op meter, which `metrics.getMeter()` returns while no MeterProvider is registered. */
const NOOP_METER_CLASS = createNoopMeter().constructor;

/**
 * Whether `meter` is the API's no-op meter. The API's CommonJS and ES module
 * builds each have their own class (an application may load both: a CommonJS
 * plugin under an ES module SDK), so a class of the same name counts too.
 */
function isNoopMeter(meter: Meter): boolean {
  const meterClass = (meter as { constructor?: unknown }).constructor;
  return (
    meterClass === NOOP_METER_CLASS || (typeof meterClass === 'function' && meterClass.name === NOOP_METER_CLASS.name)
  );
}

const instrumentsByMeter = new WeakMap<Meter, MessagingMetrics>();

/** The instruments for `meter`, created on first use and shared afterwards, so a meter never gets duplicates. */
export function getMessagingMetrics(meter: Meter): MessagingMetrics {
  const existing = instrumentsByMeter.get(meter);
  if (existing) return existing;
  const advice = { explicitBucketBoundaries: [...MESSAGING_DURATION_BUCKETS] };
  const metrics: MessagingMetrics = {
    clientOperationDuration: meter.createHistogram(METRIC_MESSAGING_CLIENT_OPERATION_DURATION, {
      description: 'Duration of messaging operation initiated by a producer or consumer client.',
      unit: 's',
      advice,
    }),
    processDuration: meter.createHistogram(METRIC_MESSAGING_PROCESS_DURATION, {
      description: 'Duration of processing operation.',
      unit: 's',
      advice,
    }),
    sentMessages: new AggregatingCounter(meter, METRIC_MESSAGING_CLIENT_SENT_MESSAGES, {
      description: 'Number of messages producer attempted to send to the broker.',
      unit: '{message}',
    }),
    consumedMessages: new AggregatingCounter(meter, METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES, {
      description: 'Number of messages that were delivered to the application.',
      unit: '{message}',
    }),
  };
  if (isNoopMeter(meter)) metrics.noop = true;
  instrumentsByMeter.set(meter, metrics);
  return metrics;
}

/** The span attributes semconv allows on messaging metrics: all low-cardinality. */
const METRIC_ATTRIBUTE_NAMES: readonly string[] = [
  ATTR_MESSAGING_SYSTEM_NAME,
  // Present only under OTEL_SEMCONV_STABILITY_OPT_IN=messaging/dup.
  ATTR_MESSAGING_SYSTEM,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_TEMPLATE,
  ATTR_MESSAGING_DESTINATION_SUBSCRIPTION_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_ERROR_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
];

/**
 * Picks the metric attributes out of a span's attributes (message ids, keys,
 * offsets never reach a metric); with the operation's `error`, adds its `error.type`.
 */
export function metricAttributes(spanAttributes: Attributes, error?: unknown): Attributes {
  const attributes: Attributes = {};
  for (const name of METRIC_ATTRIBUTE_NAMES) {
    const value = spanAttributes[name];
    if (value !== undefined) attributes[name] = value;
  }
  if (error !== undefined) attributes[ATTR_ERROR_TYPE] = errorType(error);
  return attributes;
}

/** Metric attributes of frozen (constant, shared) span attributes: computed once per set. */
const constantMetricAttributes = new WeakMap<Attributes, Attributes>();

/**
 * `metricAttributes(spanAttributes)` for a successful operation. When the span
 * attributes are a frozen shared set (see `ConstantAttributes`), the result is
 * one frozen object reused for every message of it.
 */
export function successMetricAttributes(spanAttributes: Attributes): Attributes {
  if (!Object.isFrozen(spanAttributes)) return metricAttributes(spanAttributes);
  let attributes = constantMetricAttributes.get(spanAttributes);
  if (!attributes) {
    attributes = Object.freeze(metricAttributes(spanAttributes));
    constantMetricAttributes.set(spanAttributes, attributes);
  }
  return attributes;
}

/** Seconds since `startedAt` (a `performance.now()` reading): the unit of the duration metrics. */
export function secondsSince(startedAt: number): number {
  return (performance.now() - startedAt) / 1000;
}
