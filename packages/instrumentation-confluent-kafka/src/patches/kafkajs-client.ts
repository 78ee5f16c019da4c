// Remembers each KafkaJS-API `Kafka` client's config (the client keeps it in a
// private field), so that its producers and consumers know their client id,
// brokers and group for messaging.client.id, server.address/port and
// messaging.consumer.group.name.
import type { KafkaClientFacts } from '@org/messaging-propagation/internal';
import type { ConfluentClientConfig, KafkaClass } from '../internal-types';

const commonConfigs = new WeakMap<object, ConfluentClientConfig>();

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function brokerList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((broker): broker is string => typeof broker === 'string');
  // librdkafka's `bootstrap.servers` / `metadata.broker.list`: comma-separated.
  if (typeof value === 'string')
    return value
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean);
  return [];
}

/**
 * The facts of a producer or consumer made by `kafka` with `own` config, merged as
 * the client merges them (lib/kafkajs/_kafka.js, 1.x): the client's own config over
 * the common one, the `kafkaJS` blocks merged the same way. Never throws.
 */
export function kafkaJsClientFacts(kafka: object, own: unknown): KafkaClientFacts {
  try {
    const common = commonConfigs.get(kafka) ?? {};
    const local = own && typeof own === 'object' ? (own as ConfluentClientConfig) : {};
    const merged: ConfluentClientConfig = { ...common, ...local };
    const kafkaJs = { ...(common.kafkaJS ?? {}), ...(local.kafkaJS ?? {}) };
    const brokers = brokerList(kafkaJs.brokers);
    return {
      clientId: text(kafkaJs.clientId) ?? text(merged['client.id']),
      brokers: brokers.length > 0 ? brokers : brokerList(merged['bootstrap.servers'] ?? merged['metadata.broker.list']),
      groupId: text(kafkaJs.groupId) ?? text(merged['group.id']),
    };
  } catch {
    return { brokers: [] };
  }
}

/** A subclass of `KafkaJS.Kafka` that records its config; instances stay `instanceof` the original. */
export function patchKafkaClass(Original: KafkaClass): KafkaClass {
  const Base = Original as new (config?: ConfluentClientConfig) => object;
  return class Kafka extends Base {
    constructor(config?: ConfluentClientConfig) {
      super(config);
      try {
        if (config && typeof config === 'object') commonConfigs.set(this, config);
      } catch {
        // Never let bookkeeping break the client.
      }
    }
  } as KafkaClass;
}
