// Remembers each Kafka client's id and brokers: kafkajs keeps them private, and
// spans need them (messaging.client.id, server.address/port).
import type { ClientFacts, KafkaConfig } from '../internal-types';

const clients = new WeakMap<object, ClientFacts>();

export function clientFacts(kafka: object): ClientFacts {
  return clients.get(kafka) ?? { brokers: [] };
}

type KafkaClass = new (config: KafkaConfig) => object;

/** A subclass of kafkajs' `Kafka` that records its config; instances stay `instanceof` the original. */
export function patchKafkaClass(Original: KafkaClass): KafkaClass {
  return class Kafka extends Original {
    constructor(config: KafkaConfig) {
      super(config);
      try {
        clients.set(this, {
          clientId: typeof config?.clientId === 'string' ? config.clientId : undefined,
          brokers: Array.isArray(config?.brokers) ? config.brokers.filter((broker) => typeof broker === 'string') : [],
        });
      } catch {
        // Never let bookkeeping break the client.
      }
    }
  };
}
