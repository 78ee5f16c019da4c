// Trust and privacy on the kafkajs plugin: a consumer can refuse a producer's
// context per topic or by predicate (failing closed), message keys can be kept
// out of spans, bodies never reach a span, and SASL credentials never reach an
// attribute.
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { consumedMessage, exporter, patchedKafkaJs, PRODUCER_TRACEPARENT } from './test-support/fake-kafkajs';
import type { KafkaJsInstrumentationConfig } from './types';

const PRODUCER_SPAN_ID = '00f067aa0ba902b7';
beforeEach(() => exporter.reset());

async function consumeOne(config: KafkaJsInstrumentationConfig, topic: string): Promise<ReadableSpan> {
  exporter.reset();
  const { kafka } = patchedKafkaJs(config);
  const client = kafka();
  await client.consumer({ groupId: 'g' }).run({ eachMessage: async () => undefined });
  const message = consumedMessage('3', { traceparent: Buffer.from(PRODUCER_TRACEPARENT) });
  (message as { key: unknown }).key = Buffer.from('customer-42@example.com');
  (message as { value: unknown }).value = Buffer.from('BODY-SECRET');
  await client.runConfig?.eachMessage?.({ topic, partition: 0, message });
  const span = exporter.getFinishedSpans().find((candidate) => candidate.name === `process ${topic}`);
  if (!span) throw new Error('no process span');
  return span;
}

const isParentedOnProducer = (span: ReadableSpan) => span.parentSpanContext?.spanId === PRODUCER_SPAN_ID;
const linksToProducer = (span: ReadableSpan) => span.links.some((link) => link.context.spanId === PRODUCER_SPAN_ID);

describe('consumer context policy', () => {
  it("'link' starts a new trace that only links to the producer", async () => {
    const span = await consumeOne({ consumerContextPolicy: 'link' }, 'orders');
    expect(isParentedOnProducer(span)).toBe(false);
    expect(linksToProducer(span)).toBe(true);
  });

  it('a predicate decides per destination, and is told the system and topic', async () => {
    const seen: unknown[] = [];
    const policy: KafkaJsInstrumentationConfig['consumerContextPolicy'] = (input) => {
      seen.push({ system: input.system, destination: input.destination });
      return input.destination === 'partner-events' ? 'link' : 'parent';
    };
    const untrusted = await consumeOne({ consumerContextPolicy: policy }, 'partner-events');
    const trusted = await consumeOne({ consumerContextPolicy: policy }, 'orders');
    expect(isParentedOnProducer(untrusted)).toBe(false);
    expect(linksToProducer(untrusted)).toBe(true);
    expect(isParentedOnProducer(trusted)).toBe(true);
    expect(seen).toEqual([
      { system: 'kafka', destination: 'partner-events' },
      { system: 'kafka', destination: 'orders' },
    ]);
  });

  it('a predicate that throws or answers nonsense counts as link (fails closed)', async () => {
    const throwing = await consumeOne(
      {
        consumerContextPolicy: () => {
          throw new Error('policy bug');
        },
      },
      'orders',
    );
    const nonsense = await consumeOne({ consumerContextPolicy: () => 'yes' as never }, 'orders');
    for (const span of [throwing, nonsense]) {
      expect(isParentedOnProducer(span)).toBe(false);
      expect(linksToProducer(span)).toBe(true);
    }
  });
});

describe('personal data and credentials', () => {
  it('captureMessageKey: false keeps the key out of the span; the body is never recorded', async () => {
    const withKey = await consumeOne({}, 'orders');
    expect(withKey.attributes['kafka.message.key']).toBe('customer-42@example.com');
    const withoutKey = await consumeOne({ captureMessageKey: false }, 'orders');
    for (const span of [withKey, withoutKey]) {
      expect(JSON.stringify(span.attributes)).not.toContain('BODY-SECRET');
      expect(JSON.stringify(span.events)).not.toContain('BODY-SECRET');
    }
    expect(JSON.stringify(withoutKey.attributes)).not.toContain('customer-42');
  });

  it('never records SASL or SSL settings, and no credentials from a broker string', async () => {
    const { kafka } = patchedKafkaJs();
    const KafkaClass = kafka().constructor as new (config: unknown) => ReturnType<typeof kafka>;
    const client = new KafkaClass({
      clientId: 'unit',
      brokers: ['sasl://svc-user:BROKER-PASSWORD@broker-1:9093'],
      ssl: { key: 'TLS-KEY', passphrase: 'TLS-PASSPHRASE' },
      sasl: { mechanism: 'plain', username: 'svc-user', password: 'SASL-PASSWORD' },
    });
    await client.producer().send({ topic: 'orders', messages: [{ value: 'v' }] });
    await client.consumer({ groupId: 'g' }).run({ eachMessage: async () => undefined });
    await client.runConfig?.eachMessage?.({ topic: 'orders', partition: 0, message: consumedMessage('1') });
    const recorded = JSON.stringify(exporter.getFinishedSpans().map((span) => [span.name, span.attributes]));
    expect(recorded).toContain('send orders');
    for (const secret of ['BROKER-PASSWORD', 'SASL-PASSWORD', 'TLS-KEY', 'TLS-PASSPHRASE', 'svc-user']) {
      expect(recorded).not.toContain(secret);
    }
  });
});
