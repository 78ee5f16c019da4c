// What every kafkajs telemetry function needs, and the small helpers they share.
import { context } from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import { HandlerUnsettledAtExitError, parseHostPort } from '@org/messaging-propagation';
import { endOperation, failedWith, SUCCEEDED, trackOpenOperation } from '@org/messaging-propagation/internal';
import type { OperationOutcome, PluginTelemetry } from '@org/messaging-propagation/internal';
import type { ClientFacts } from '../internal-types';
import type { KafkaJsInstrumentationConfig } from '../types';

/** What the telemetry needs from the instrumentation: read lazily, as the SDK may change them. */
export type KafkaTelemetryDeps = PluginTelemetry<KafkaJsInstrumentationConfig>;

/** A span keeps at most this many links: links are held in memory until the span ends. */
export const MAX_SPAN_LINKS = 128;

type ClientAttributes = {
  clientId: string | undefined;
  server: ReturnType<typeof parseHostPort>;
  clusterId: string | undefined;
};
/** Parsed once per producer or consumer: every span of it needs the same client facts. */
const clientAttributesCache = new WeakMap<ClientFacts, ClientAttributes>();

export function clientAttributes(client: ClientFacts): ClientAttributes {
  let attributes = clientAttributesCache.get(client);
  if (!attributes) {
    attributes = { clientId: client.clientId, server: parseHostPort(client.brokers[0]), clusterId: undefined };
    clientAttributesCache.set(client, attributes);
  }
  // Known only once a client of this Kafka instance has connected; it never changes after.
  if (attributes.clusterId === undefined) attributes.clusterId = client.clusterId?.();
  return attributes;
}

/** A started process span and what its end needs. */
export interface ProcessSpan {
  span: Span;
  spanContext: Context;
  attributes: Attributes;
  /** `performance.now()` when processing started. */
  started: number;
  messageCount: number;
  /** Record `messaging.process.duration` (per-message spans) or not (batch spans). */
  recordDuration: boolean;
  /** Set once the span has ended: it ends exactly once. */
  ended?: boolean;
  /** Stops tracking the span as open: set while its handler runs. */
  untrack?: () => void;
}

/** Ends a process span and records its metrics; never throws. */
export function finishProcessSpan(deps: KafkaTelemetryDeps, process: ProcessSpan, outcome: OperationOutcome): void {
  if (process.ended) return;
  process.ended = true;
  process.untrack?.();
  // A `performance.now()` reading, like the start: the SDK maps both onto the wall
  // clock with one offset, so a span started at a past reading still contains its
  // children (ending without a time would read `Date.now()`, another clock).
  endOperation(
    deps,
    'kafkajs process',
    process,
    { ...outcome, endTime: performance.now() },
    { duration: process.recordDuration ? 'process' : undefined, consumed: process.messageCount },
  );
}

/**
 * Runs the handler in the span's context and ends the span when the handler's
 * promise settles (or it throws). The handler's result or error is passed on unchanged.
 */
export function runInProcessSpan<T>(
  deps: KafkaTelemetryDeps,
  process: ProcessSpan,
  handler: () => Promise<T> | T,
): Promise<T> {
  let pending: Promise<T>;
  // Until the handler settles: ended at process exit if it never does.
  process.untrack = trackOpenOperation({
    abandon: () => finishProcessSpan(deps, process, failedWith(new HandlerUnsettledAtExitError())),
  });
  try {
    pending = Promise.resolve(context.with(process.spanContext, handler));
  } catch (error) {
    finishProcessSpan(deps, process, failedWith(error));
    throw error;
  }
  return pending.then(
    (result) => {
      finishProcessSpan(deps, process, SUCCEEDED);
      return result;
    },
    (error: unknown) => {
      finishProcessSpan(deps, process, failedWith(error));
      throw error;
    },
  );
}
