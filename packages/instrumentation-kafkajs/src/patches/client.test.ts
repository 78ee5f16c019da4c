import { clientFacts, patchKafkaClass } from './client';

/** kafkajs 2.x's shape: the cluster factory under a private Symbol, set by the constructor. */
class FakeKafka {
  constructor(readonly metadata: unknown) {
    (this as unknown as Record<symbol, unknown>)[Symbol('private:Kafka:createCluster')] = () => ({
      brokerPool: { metadata: this.metadata },
    });
  }
}

function createCluster(kafka: object): unknown {
  const key = Object.getOwnPropertySymbols(kafka).find(
    (symbol) => symbol.description === 'private:Kafka:createCluster',
  );
  return (kafka as Record<symbol, () => unknown>)[key!]!();
}

describe('Kafka client facts', () => {
  it('remembers the client id and brokers, and reads the cluster id once a cluster has metadata', () => {
    const metadata: { clusterId?: string } = {};
    const Patched = patchKafkaClass(FakeKafka) as unknown as new (config: unknown) => FakeKafka;
    const kafka = new Patched({ clientId: 'orders', brokers: ['b1:9092'] });
    const facts = clientFacts(kafka);
    expect(facts.clientId).toBe('orders');
    expect(facts.brokers).toEqual(['b1:9092']);
    expect(facts.clusterId?.()).toBeUndefined();
    const cluster = createCluster(kafka) as { brokerPool: { metadata: unknown } };
    cluster.brokerPool.metadata = metadata;
    expect(facts.clusterId?.()).toBeUndefined();
    metadata.clusterId = 'kafka-cluster-1';
    expect(facts.clusterId?.()).toBe('kafka-cluster-1');
  });

  it('gives no cluster id, and no error, for a client of another shape', () => {
    class Plain {}
    const Patched = patchKafkaClass(Plain) as unknown as new (config: unknown) => object;
    expect(clientFacts(new Patched({ brokers: [] })).clusterId?.()).toBeUndefined();
  });
});
