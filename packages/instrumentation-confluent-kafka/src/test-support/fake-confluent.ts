/* eslint-disable @typescript-eslint/require-await, @typescript-eslint/only-throw-error -- a fake: async like the client, throws whatever a test gives it */
// A fake @confluentinc/kafka-javascript (its KafkaJS API) for unit tests, patched
// by hand: jest's module registry bypasses require-in-the-middle. It behaves as
// 1.x does where the plugin depends on it: sendBatch calls `this.send` per topic,
// send rewrites the messages it is given, `transaction()` resolves with the
// producer. The real client and broker are covered by the e2e suite.
import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { KafkaHeaders } from '@org/messaging-propagation';
import { ConfluentKafkaInstrumentation } from '../instrumentation';
import type { ConfluentKafkaInstrumentationConfig } from '../types';

type Handler = (payload: unknown) => Promise<void>;
export interface RunConfig {
  eachMessage?: Handler;
  eachBatch?: Handler;
}
interface Message {
  key?: unknown;
  partition?: number;
  value: unknown;
  headers?: unknown;
}
interface ProducerRecord {
  topic: string;
  messages: Message[];
}

export class FakeProducer {
  sent: ProducerRecord[] = [];
  failWith: unknown;
  constructor(readonly config: unknown) {}
  async send(record: ProducerRecord) {
    if (this.failWith !== undefined) throw this.failWith;
    // As 1.x's send does (lib/kafkajs/_producer.js): it rewrites the messages it is given.
    for (const message of record.messages) {
      message.partition ??= -1;
      if (typeof message.value === 'string') message.value = Buffer.from(message.value);
    }
    this.sent.push(record);
    return [{ topicName: record.topic, partition: 2, baseOffset: '41' }];
  }
  async sendBatch(batch: { topicMessages: ProducerRecord[] }) {
    const sent = await Promise.all(batch.topicMessages.map((record) => this.send(record)));
    return sent.flat();
  }
  async transaction() {
    return this;
  }
}

export class FakeConsumer {
  runConfig: RunConfig | undefined;
  committed: unknown[] = [];
  failWith: unknown;
  internalClient = { native: true };
  constructor(readonly config: unknown) {}
  _getInternalClient() {
    return this.internalClient;
  }
  async run(config: RunConfig) {
    if (Object.hasOwn(config, 'autoCommit')) throw new Error('autoCommit is not a run option');
    this.runConfig = config;
  }
  async commitOffsets(offsets: unknown = null) {
    if (this.failWith !== undefined) throw this.failWith;
    this.committed.push(offsets);
  }
}

export class FakeKafka {
  producers: FakeProducer[] = [];
  consumers: FakeConsumer[] = [];
  constructor(readonly config: unknown) {}
  producer(config?: unknown) {
    const producer = new FakeProducer(config);
    this.producers.push(producer);
    return producer;
  }
  consumer(config?: unknown) {
    const consumer = new FakeConsumer(config);
    this.consumers.push(consumer);
    return consumer;
  }
}

export const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
/** The application's own tracer in tests. */
export const appTracer = provider.getTracer('app');
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

/** A freshly patched fake module and the instrumentation that patched it. */
export function patchedConfluent(config: ConfluentKafkaInstrumentationConfig = {}) {
  const instrumentation = new ConfluentKafkaInstrumentation({ ...config, enabled: false });
  instrumentation.setTracerProvider(provider);
  const confluent = { KafkaJS: { Kafka: class extends FakeKafka {} } };
  const [definition] = instrumentation.getModuleDefinitions();
  definition?.patch?.(confluent, '1.10.1');
  // As after enable() in a real process (here it only marks the instrumentation enabled).
  instrumentation.enable();
  const kafka = (own: object = { kafkaJS: { clientId: 'unit', brokers: ['broker-1:9092'] } }) =>
    new confluent.KafkaJS.Kafka(own);
  return { instrumentation, kafka, confluent };
}

export const PRODUCER_TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** A consumed message as the KafkaJS API hands it over: headers as Buffers. */
export function consumedMessage(offset: string, headers: Record<string, unknown> = {}) {
  return {
    key: null as Buffer | null,
    value: Buffer.from('v') as Buffer | null,
    offset,
    timestamp: String(Date.now() - 5),
    headers: headers as KafkaHeaders,
  };
}
