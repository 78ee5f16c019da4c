// Work that never settles: enabling the plugin installs the process's sweep at
// exit, which ends its spans as errors, once.
import { SpanStatusCode } from '@opentelemetry/api';
import { endOpenSpans } from '@org/messaging-propagation/internal';
import { finishedSpans, QUEUE_URL, SendMessageCommand, spanNamed, useInstrumentation } from '../test/harness';
import { processSqsMessage } from './process';

const { Client } = useInstrumentation();

describe('at exit', () => {
  it('the enabled plugin has installed the sweep', () => {
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('otel-mq.exit-sweep')]).toBeDefined();
  });

  it("ends never-settling work's process span as an error, exactly once", async () => {
    let settle!: () => void;
    const work = processSqsMessage({ MessageId: 'm-1' }, () => new Promise<void>((resolve) => (settle = resolve)), {
      queueUrl: QUEUE_URL,
    });
    expect(endOpenSpans()).toBe(1);
    expect(spanNamed('process orders').status.code).toBe(SpanStatusCode.ERROR);
    expect(spanNamed('process orders').attributes['error.type']).toBe('HandlerUnsettledAtExitError');
    settle();
    await work;
    expect(finishedSpans()).toHaveLength(1);
  });

  it('ends an SQS call that never answered as an error, once', async () => {
    const client = new Client();
    client.respond = () => new Promise(() => undefined);
    void client.send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'x' }));
    await Promise.resolve();
    expect(endOpenSpans()).toBe(1);
    expect(spanNamed('send orders').status.code).toBe(SpanStatusCode.ERROR);
    expect(spanNamed('send orders').attributes['error.type']).toBe('OperationUnansweredAtExitError');
    expect(endOpenSpans()).toBe(0);
    expect(finishedSpans()).toHaveLength(1);
  });
});
