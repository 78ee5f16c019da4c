/* eslint-disable @typescript-eslint/require-await, @typescript-eslint/only-throw-error -- a fake: async like the client, throws whatever a test gives it */
// A fake @confluentinc/kafka-javascript (its KafkaJS API) for unit tests, patched
// by hand: jest's module registry bypasses require-in-the-middle. It behaves as
// 1.x does where the plugin depends on it: sendBatch calls `this.send` per topic,
// send rewrites the messages it is given, `transaction()` resolves with the
// producer. The real client and broker are covered by the e2e suite.
import { EventEmitter } from 'node:events';
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

/** The native Producer's shape (lib/producer.js, 1.x): produce, and delivery reports as events. */
export class FakeNativeProducer extends EventEmitter {
  produced: unknown[][] = [];
  _cb_configs: { event: { delivery_cb?: () => void } } = { event: {} };
  throwWith: unknown;
  constructor(readonly globalConfig: Record<string, unknown>) {
    super();
    if (globalConfig['dr_cb']) this._cb_configs.event.delivery_cb = () => undefined;
  }
  produce(...args: unknown[]) {
    if (this.throwWith !== undefined) throw this.throwWith;
    this.produced.push(args);
    return true;
  }
  /** librdkafka's report of the `index`th produced message. */
  report(index: number, error: unknown = null, offset = 17) {
    const [topic, partition, , key, , opaque] = this.produced[index] ?? [];
    this.emit('delivery-report', error, { topic, partition: partition === -1 ? 0 : partition, offset, key, opaque });
  }
}

/** The native KafkaConsumer's shape (lib/kafka-consumer.js, 1.x): 'data' events, then the consume callback. */
export class FakeNativeConsumer extends EventEmitter {
  committed: unknown[] = [];
  pending: Array<(error: unknown, payload?: unknown) => void> = [];
  constructor(readonly globalConfig: Record<string, unknown>) {
    super();
  }
  consume(number?: unknown, cb?: unknown) {
    const callback = (typeof number === 'function' ? number : cb) as (error: unknown, payload?: unknown) => void;
    this.pending.push(callback ?? (() => undefined));
  }
  /** Delivers messages as 1.x does: flowing, one 'data' and callback each; non-flowing, all 'data' then one callback. */
  deliver(messages: NativeMessage[], flowing: boolean) {
    const callback = this.pending.at(-1) ?? (() => undefined);
    if (flowing) {
      for (const message of messages) {
        this.emit('data', message);
        callback(null, message);
      }
    } else {
      for (const message of messages) this.emit('data', message);
      callback(null, messages);
    }
  }
  commit(offsets?: unknown) {
    this.committed.push(offsets);
    return this;
  }
  commitMessage(message: NativeMessage) {
    this.committed.push({ topic: message.topic, partition: message.partition, offset: message.offset + 1 });
    return this;
  }
}

export interface NativeMessage {
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: number;
  headers?: Array<Record<string, Buffer | string>>;
}

export function nativeMessage(offset: number, headers?: Array<Record<string, Buffer | string>>): NativeMessage {
  return {
    topic: 'orders',
    partition: 0,
    offset,
    key: Buffer.from('k'),
    value: Buffer.from('v'),
    timestamp: Date.now() - 5,
    headers,
  };
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
  const confluent = {
    KafkaJS: { Kafka: class extends FakeKafka {} },
    Producer: class extends FakeNativeProducer {},
    KafkaConsumer: class extends FakeNativeConsumer {},
  };
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
