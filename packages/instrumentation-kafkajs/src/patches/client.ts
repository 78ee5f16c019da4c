// Remembers each Kafka client's id and brokers, and finds its cluster's id:
// kafkajs keeps them private, and spans need them (messaging.client.id,
// server.address/port, kafka.cluster.id).
import type { ClientFacts, KafkaConfig } from '../internal-types';

const clients = new WeakMap<object, ClientFacts>();

export function clientFacts(kafka: object): ClientFacts {
  return clients.get(kafka) ?? { brokers: [] };
}

type KafkaClass = new (config: KafkaConfig) => object;

/**
 * kafkajs 2.x (src/index.js, 2.0.0 to 2.2.4) creates the cluster of every
 * producer, consumer and admin through an instance property keyed by
 * `Symbol('private:Kafka:createCluster')`; once connected, a cluster holds the
 * brokers' Metadata answer (`brokerPool.metadata`, whose `clusterId` Metadata v2+
 * carries). Read defensively: any other shape gives no cluster id, never an error.
 */
const CREATE_CLUSTER = 'private:Kafka:createCluster';
/** A Kafka instance creates a cluster per producer, consumer and admin: this many are enough to find the id. */
const MAX_WATCHED_CLUSTERS = 16;

type Cluster = { brokerPool?: { metadata?: { clusterId?: unknown } | null } } | undefined;

function clusterIdOf(cluster: Cluster): string | undefined {
  const id = cluster?.brokerPool?.metadata?.clusterId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** Watches the clusters `kafka` creates; returns a reader of the first cluster id one of them has. */
function watchClusters(kafka: object): (() => string | undefined) | undefined {
  const key = Object.getOwnPropertySymbols(kafka).find((symbol) => symbol.description === CREATE_CLUSTER);
  const slots = kafka as Record<symbol, unknown>;
  const create = key === undefined ? undefined : slots[key];
  if (key === undefined || typeof create !== 'function') return undefined;
  const clusters: Cluster[] = [];
  let found: string | undefined;
  slots[key] = function createCluster(this: unknown, ...args: unknown[]): unknown {
    const cluster = (create as (...a: unknown[]) => unknown).apply(this, args);
    if (clusters.length < MAX_WATCHED_CLUSTERS) clusters.push(cluster as Cluster);
    return cluster;
  };
  return () => {
    if (found !== undefined) return found;
    for (const cluster of clusters) {
      try {
        found = clusterIdOf(cluster);
      } catch {
        // A getter that throws: no id from this one.
      }
      if (found !== undefined) break;
    }
    return found;
  };
}

/** A subclass of kafkajs' `Kafka` that records its config; instances stay `instanceof` the original. */
export function patchKafkaClass(Original: KafkaClass): KafkaClass {
  return class Kafka extends Original {
    constructor(config: KafkaConfig) {
      super(config);
      try {
        clients.set(this, {
          clientId: typeof config?.clientId === 'string' ? config.clientId : undefined,
          brokers: Array.isArray(config?.brokers) ? config.brokers.filter((broker) => typeof broker === 'string') : [],
          clusterId: watchClusters(this),
        });
      } catch {
        // Never let bookkeeping break the client.
      }
    }
  };
}
