/* eslint-disable @typescript-eslint/require-await, @typescript-eslint/only-throw-error -- a fake: async like kafkajs, throws whatever a test gives it */
// A fake kafkajs for unit tests, patched by hand: jest's module registry bypasses
// require-in-the-middle. The real client and broker are covered by the e2e suite.
import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { KafkaHeaders } from '@org/messaging-propagation';
import { KafkaJsInstrumentation } from '../instrumentation';
import type { KafkaJsInstrumentationConfig } from '../types';

type Handler = (payload: unknown) => Promise<void>;
export interface RunConfig {
  eachMessage?: Handler;
  eachBatch?: Handler;
}

/** kafkajs 2.x keeps its cluster factory under a private Symbol of this description (src/index.js). */
const CREATE_CLUSTER = Symbol('private:Kafka:createCluster');
export const FAKE_CLUSTER_ID = 'fake-cluster-id';

export class FakeKafka {
  constructor(readonly config: unknown) {
    // A connected cluster's Metadata answer, as kafkajs keeps it.
    (this as unknown as Record<symbol, unknown>)[CREATE_CLUSTER] = () => ({
      brokerPool: { metadata: { clusterId: FAKE_CLUSTER_ID } },
    });
  }
  private createCluster(): unknown {
    return (this as unknown as Record<symbol, () => unknown>)[CREATE_CLUSTER]?.();
  }
  sent: unknown[] = [];
  committed: unknown[] = [];
  failWith: unknown;
  /** Makes send and commitOffsets reject with `undefined`, which `failWith` cannot express. */
  rejectWithUndefined = false;
  runConfig: RunConfig | undefined;
  /** What send and sendBatch answer (kafkajs' RecordMetadata[]), from what was sent. */
  answer: (sent: unknown) => unknown = () => [{ topicName: 'orders', partition: 2, baseOffset: '41' }];
  producer() {
    this.createCluster();
    const send = async (record: unknown) => {
      if (this.failWith) throw this.failWith;
      if (this.rejectWithUndefined) throw undefined;
      this.sent.push(record);
      return this.answer(record);
    };
    return { send, sendBatch: send };
  }
  consumer(_options: unknown) {
    this.createCluster();
    return {
      run: async (config: RunConfig) => {
        this.runConfig = config;
      },
      commitOffsets: async (offsets: unknown) => {
        if (this.failWith) throw this.failWith;
        if (this.rejectWithUndefined) throw undefined;
        this.committed.push(offsets);
      },
    };
  }
}

export const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
/** The application's own tracer in tests. */
export const appTracer = provider.getTracer('app');
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

/** A freshly patched fake kafkajs module and the instrumentation that patched it. */
export function patchedKafkaJs(config: KafkaJsInstrumentationConfig = {}) {
  const instrumentation = new KafkaJsInstrumentation({ ...config, enabled: false });
  instrumentation.setTracerProvider(provider);
  const kafkajs = { Kafka: class extends FakeKafka {} };
  const [definition] = instrumentation.getModuleDefinitions();
  definition?.patch?.(kafkajs, '2.2.4');
  // As after enable() in a real process (here it only marks the instrumentation enabled:
  // jest's module registry bypasses the require hook, hence the patch above).
  instrumentation.enable();
  const kafka = () => new kafkajs.Kafka({ clientId: 'unit', brokers: ['broker-1:9092'] });
  return { instrumentation, kafka };
}

export const PRODUCER_TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** A consumed message; `headers` may be hostile (numbers, bad bytes): kafkajs hands on whatever the wire had. */
export function consumedMessage(offset: string, headers: Record<string, unknown> = {}) {
  return {
    key: null,
    value: Buffer.from('v'),
    offset,
    timestamp: String(Date.now() - 5),
    headers: headers as KafkaHeaders,
  };
}
