// Unit tests against a fake kafkajs: jest's module registry bypasses
// require-in-the-middle, so the module definition's patch is applied by hand.
// The real client and broker are covered by the e2e suite.
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { KafkaJsInstrumentation } from './instrumentation';

type Handler = (payload: unknown) => Promise<void>;

class FakeKafka {
  constructor(readonly config: unknown) {}
  sent: unknown[] = [];
  failWith: unknown;
  runConfig: { eachMessage?: Handler } | undefined;
  producer() {
    const send = async (record: unknown) => {
      if (this.failWith) throw this.failWith;
      this.sent.push(record);
      return [{ topicName: 'orders', partition: 2, baseOffset: '41' }];
    };
    return { send, sendBatch: send };
  }
  consumer(_options: unknown) {
    return {
      run: async (config: { eachMessage?: Handler }) => {
        this.runConfig = config;
      },
    };
  }
}

const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
let instrumentation: KafkaJsInstrumentation;
let kafkajs: { Kafka: typeof FakeKafka };

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  instrumentation = new KafkaJsInstrumentation({ enabled: false });
  instrumentation.setTracerProvider(provider);
  kafkajs = { Kafka: class extends FakeKafka {} };
  const [definition] = instrumentation.getModuleDefinitions();
  definition?.patch?.(kafkajs, '2.2.4');
});

beforeEach(() => exporter.reset());

function kafka() {
  return new kafkajs.Kafka({ clientId: 'unit', brokers: ['broker-1:9092'] });
}

describe('producer', () => {
  it('sends copies with the send span context and leaves the caller objects alone', async () => {
    const client = kafka();
    const message = Object.freeze({ key: 'k', value: 'v', headers: Object.freeze({ 'x-user': 'kept' }) });
    const record = Object.freeze({ topic: 'orders', messages: Object.freeze([message]) });
    await client.producer().send(record);

    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('send orders');
    expect(span?.kind).toBe(SpanKind.PRODUCER);
    expect(span?.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.client.id': 'unit',
      'server.address': 'broker-1',
      'server.port': 9092,
      'messaging.destination.partition.id': '2',
      'messaging.kafka.offset': 41,
      'messaging.kafka.message.key': 'k',
    });
    const sent = client.sent[0] as { messages: Array<{ headers: Record<string, string> }> };
    expect(sent.messages[0]?.headers).toEqual({
      'x-user': 'kept',
      traceparent: `00-${span?.spanContext().traceId}-${span?.spanContext().spanId}-01`,
    });
    expect(message.headers).toEqual({ 'x-user': 'kept' });
  });

  it('makes one span per topic of a batch, not one per message', async () => {
    const client = kafka();
    const messages = Array.from({ length: 50 }, (_, i) => ({ value: String(i) }));
    await client.producer().sendBatch({
      topicMessages: [
        { topic: 'a', messages },
        { topic: 'b', messages },
      ],
    });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((span) => span.name).sort()).toEqual(['send a', 'send b']);
    expect(spans[0]?.attributes['messaging.batch.message_count']).toBe(50);
  });

  it('passes the original error through and marks the span', async () => {
    const client = kafka();
    const error = Object.assign(new Error('no leader'), { type: 'LEADER_NOT_AVAILABLE' });
    client.failWith = error;
    await expect(client.producer().send({ topic: 'orders', messages: [{ value: 'x' }] })).rejects.toBe(error);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('LEADER_NOT_AVAILABLE');
  });
});

describe('consumer', () => {
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const payload = (headers: Record<string, unknown>) => ({
    topic: 'orders',
    partition: 1,
    message: { key: null, value: Buffer.from('v'), offset: '7', timestamp: String(Date.now() - 5), headers },
  });

  it('runs eachMessage inside a process span parented on the producer', async () => {
    const client = kafka();
    let active: string | undefined;
    await client.consumer({ groupId: 'billing' }).run({
      eachMessage: async () => {
        active = trace.getActiveSpan()?.spanContext().spanId;
      },
    });
    await client.runConfig?.eachMessage?.(payload({ traceparent: Buffer.from(traceparent) }));
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('process orders');
    expect(span?.kind).toBe(SpanKind.CONSUMER);
    expect(span?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span?.links.map((link) => link.context.spanId)).toEqual(['00f067aa0ba902b7']);
    expect(active).toBe(span?.spanContext().spanId);
    expect(span?.attributes).toMatchObject({ 'messaging.consumer.group.name': 'billing', 'messaging.kafka.offset': 7 });
  });

  it('hands kafkajs the same rejection and ends the span as an error', async () => {
    const client = kafka();
    const error = new TypeError('handler failed');
    await client.consumer({ groupId: 'g' }).run({ eachMessage: () => Promise.reject(error) });
    await expect(client.runConfig?.eachMessage?.(payload({}))).rejects.toBe(error);
    expect(exporter.getFinishedSpans()[0]?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('treats a malformed traceparent as no context', async () => {
    const client = kafka();
    await client.consumer({ groupId: 'g' }).run({ eachMessage: async () => undefined });
    await client.runConfig?.eachMessage?.(payload({ traceparent: Buffer.from([0xff, 0x00]), tracestate: 42 }));
    const [span] = exporter.getFinishedSpans();
    expect(span?.parentSpanContext).toBeUndefined();
    expect(span?.links).toEqual([]);
  });
});

describe('module shape', () => {
  it('leaves a kafkajs without the expected prototype alone', () => {
    const odd = { Kafka: function Kafka() {} };
    const [definition] = new KafkaJsInstrumentation({
      enabled: false,
    }).getModuleDefinitions();
    expect(definition?.patch?.(odd, '2.0.0')).toBe(odd);
    expect(definition?.patch?.({}, '2.0.0')).toEqual({});
  });
});
