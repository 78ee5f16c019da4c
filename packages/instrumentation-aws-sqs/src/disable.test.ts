// After disable(), a client's `send` taken while the plugin was enabled (bound,
// or held by a library) records nothing and sends the caller's command as it is.
// (In a real process disable() also unwraps SQSClient.prototype.send.)
import { finishedSpans, QUEUE_URL, SendMessageCommand, useInstrumentation } from '../test/harness';

const { Client, instrumentation } = useInstrumentation();
afterEach(() => instrumentation().enable());

describe('disable()', () => {
  it('turns a send taken before it into a plain call to the SDK', async () => {
    const client = new Client();
    const send = client.send.bind(client);
    await send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'a' }));
    expect(finishedSpans()).toHaveLength(1);

    instrumentation().disable();
    const command = new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'b' });
    await send(command);
    expect(finishedSpans()).toHaveLength(1);
    expect(client.calls[1]?.command).toBe(command);
    expect(client.calls[1]?.input).toEqual({ QueueUrl: QUEUE_URL, MessageBody: 'b' });
  });
});
