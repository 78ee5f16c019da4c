// What every kafkajs telemetry function needs, and the small helpers they share.
import { parseHostPort } from '@org/messaging-propagation';
import type { OperationKind, PluginTelemetry } from '@org/messaging-propagation/internal';
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

/** The end of a per-message process span; `consumed` 0 inside eachBatch, whose batch span counts the messages. */
export const MESSAGE_PROCESS: OperationKind = Object.freeze({
  what: 'kafkajs process',
  metrics: Object.freeze({ duration: 'process', consumed: 1 }),
  // Started at a `performance.now()` reading: ended at one, so the SDK maps both
  // onto the wall clock with one offset and the span still contains its children.
  endAtReading: true,
});
export const BATCH_MESSAGE_PROCESS: OperationKind = Object.freeze({
  ...MESSAGE_PROCESS,
  metrics: Object.freeze({ duration: 'process', consumed: 0 }),
});
