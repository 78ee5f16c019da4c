// What a native-API client (`Producer`, `HighLevelProducer`, `KafkaConsumer`)
// says about itself: 1.x keeps its librdkafka config as `globalConfig`
// (lib/producer.js, lib/kafka-consumer.js). Read once per client.
import type { KafkaClientFacts } from '@org/messaging-propagation/internal';

const facts = new WeakMap<object, KafkaClientFacts>();

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function nativeClientFacts(client: object): KafkaClientFacts {
  let known = facts.get(client);
  if (!known) {
    known = { brokers: [] };
    try {
      const config = (client as { globalConfig?: Record<string, unknown> }).globalConfig ?? {};
      const servers = text(config['bootstrap.servers']) ?? text(config['metadata.broker.list']) ?? '';
      known = {
        clientId: text(config['client.id']),
        brokers: servers
          .split(',')
          .map((broker) => broker.trim())
          .filter(Boolean),
        groupId: text(config['group.id']),
      };
    } catch {
      // A getter that throws: no facts from it.
    }
    facts.set(client, known);
  }
  return known;
}
