// What the Kafka telemetry shared by the kafkajs-shaped plugins (kafkajs, and
// Confluent's client through its KafkaJS-compatible and native APIs) needs from
// its plugin, and the per-client constants every span of a client shares.
import type { Span } from '@opentelemetry/api';
import { parseHostPort } from '../attributes/server';
import type { KafkaHeaders } from '../carriers/kafka-headers';
import type { ConsumerContextPolicy } from '../context-policy';
import type { PluginTelemetry } from '../plugin-telemetry';

/** What a producer hook is told about the send it customises. */
export interface KafkaProducerHookInfo {
  topic: string;
  messageCount: number;
}

/** What a consumer hook is told about the message being processed. */
export interface KafkaConsumerHookInfo {
  topic: string;
  partition: number;
  offset: string;
}

/** The options of a Kafka plugin the shared telemetry reads (each plugin documents them). */
export interface KafkaTelemetryConfig {
  consumerContextPolicy?: ConsumerContextPolicy | undefined;
  captureMessageKey?: boolean | undefined;
  createSpansPerMessage?: boolean | undefined;
  commitSpans?: boolean | undefined;
  captureBodySize?: boolean | undefined;
  producerHook?: ((span: Span, info: KafkaProducerHookInfo) => void) | undefined;
  consumerHook?: ((span: Span, info: KafkaConsumerHookInfo) => void) | undefined;
}

/** The defaults of the Kafka options both Kafka plugins share (each plugin's README documents them). */
export interface KafkaConfigDefaults {
  captureMessageKey: boolean;
  createSpansPerMessage: boolean;
  commitSpans: boolean;
  captureBodySize: boolean;
}
export const KAFKA_CONFIG_DEFAULTS: Readonly<KafkaConfigDefaults> = Object.freeze({
  captureMessageKey: true,
  createSpansPerMessage: false,
  commitSpans: false,
  captureBodySize: false,
});

/** What the telemetry needs from the instrumentation: read lazily, as the SDK may change them. */
export interface KafkaTelemetry extends PluginTelemetry<KafkaTelemetryConfig & KafkaConfigDefaults> {
  /** The client named in diag messages (`kafkajs`, `confluent-kafka`). */
  label: string;
}

/** A message as a kafkajs-shaped consumer hands it over: offsets and timestamps as decimal strings. */
export interface KafkaConsumedMessage {
  key?: Buffer | string | null | undefined;
  value: Buffer | string | null;
  timestamp?: string | undefined;
  offset: string;
  headers?: KafkaHeaders | undefined;
}

/** What the plugin knows about the client that made a producer or consumer. */
export interface KafkaClientFacts {
  clientId?: string | undefined;
  brokers: string[];
  groupId?: string | undefined;
  /** The cluster's id once a connected client has read the brokers' metadata. */
  clusterId?: (() => string | undefined) | undefined;
}

/** A span keeps at most this many links: links are held in memory until the span ends. */
export const MAX_SPAN_LINKS = 128;

export interface KafkaClientAttributes {
  clientId: string | undefined;
  server: ReturnType<typeof parseHostPort>;
  clusterId: string | undefined;
}

/** Parsed once per producer or consumer: every span of it needs the same client facts. */
const clientAttributesCache = new WeakMap<KafkaClientFacts, KafkaClientAttributes>();

export function kafkaClientAttributes(client: KafkaClientFacts): KafkaClientAttributes {
  let attributes = clientAttributesCache.get(client);
  if (!attributes) {
    attributes = { clientId: client.clientId, server: parseHostPort(client.brokers[0]), clusterId: undefined };
    clientAttributesCache.set(client, attributes);
  }
  // Known only once a client has connected; it never changes after.
  if (attributes.clusterId === undefined) attributes.clusterId = client.clusterId?.();
  return attributes;
}

/**
 * `build(label)`, made once per plugin label (`kafkajs`, `confluent-kafka`) and
 * kept: the ends of a Kafka plugin's operations name it in diag messages.
 */
export function perPluginLabel<T>(build: (label: string) => T): (label: string) => T {
  const built = new Map<string, T>();
  return (label) => {
    let value = built.get(label);
    if (value === undefined) {
      value = build(label);
      built.set(label, value);
    }
    return value;
  };
}
