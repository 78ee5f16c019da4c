// Module shape: what the patch does with a module it does not recognise, and disable().
import { ConfluentKafkaInstrumentation } from './instrumentation';
import { exporter, FakeKafka, patchedConfluent } from './test-support/fake-confluent';

describe('module shape', () => {
  it('leaves a module without the expected KafkaJS API alone', () => {
    const [definition] = new ConfluentKafkaInstrumentation({ enabled: false }).getModuleDefinitions();
    const odd = { KafkaJS: { Kafka: function Kafka() {} } };
    expect(definition?.patch?.(odd, '1.10.1')).toBe(odd);
    expect(definition?.patch?.({}, '1.10.1')).toEqual({});
  });

  it('keeps instances instanceof the original Kafka class, and stops recording after disable()', async () => {
    const { instrumentation, kafka } = patchedConfluent();
    const client = kafka();
    expect(client).toBeInstanceOf(FakeKafka);
    const producer = client.producer();
    instrumentation.disable();
    exporter.reset();
    await producer.send({ topic: 'orders', messages: [{ value: 'x' }] });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
