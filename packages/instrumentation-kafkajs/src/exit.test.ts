// Handlers that never settle: enabling the plugin installs the process's sweep at
// exit (whoever loads it: the register entry or the application's own NodeSDK),
// which ends their spans as errors, once.
import { SpanStatusCode } from '@opentelemetry/api';
import { endOpenSpans } from '@org/messaging-propagation/internal';
import { consumedMessage, exporter, patchedKafkaJs } from './test-support/fake-kafkajs';

const { kafka } = patchedKafkaJs();
beforeEach(() => exporter.reset());

describe('at exit', () => {
  it('the enabled plugin has installed the sweep', () => {
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('otel-mq.exit-sweep')]).toBeDefined();
  });

  it("ends a never-settling handler's process span as an error, exactly once", async () => {
    const client = kafka();
    let settle!: () => void;
    await client
      .consumer({ groupId: 'g' })
      .run({ eachMessage: () => new Promise<void>((resolve) => (settle = resolve)) });
    const handled = client.runConfig?.eachMessage?.({ topic: 'orders', partition: 0, message: consumedMessage('1') });
    expect(endOpenSpans()).toBe(1);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('HandlerUnsettledAtExitError');
    settle();
    await handled;
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });

  it('ends a send the broker never answered as an error, once', async () => {
    const client = kafka();
    client.answer = () => new Promise(() => undefined);
    void client.producer().send({ topic: 'orders', messages: [{ value: 'a' }, { value: 'b' }] });
    await Promise.resolve();
    expect(endOpenSpans()).toBe(1);
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('send orders');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('OperationUnansweredAtExitError');
    expect(endOpenSpans()).toBe(0);
  });
});
