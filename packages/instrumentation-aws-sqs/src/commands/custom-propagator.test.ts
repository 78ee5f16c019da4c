// The SQS commands with a propagator that is not W3C: its own fields travel in
// the message attributes (and are asked for on receive) whenever they fit.
import { diag, DiagLogLevel, propagation } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import {
  QUEUE_URL,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SPAN_ID,
  spanNamed,
  TRACE_ID,
  useInstrumentation,
} from '../../test/harness';
import { UnderscorePropagator } from '../../test/underscore-propagator';

const { Client } = useInstrumentation();
const FIELDS = ['trace_id', 'span_id', 'trace_flags', 'trace_state'];

beforeAll(() => {
  propagation.disable();
  propagation.setGlobalPropagator(new UnderscorePropagator());
});

function userAttributes(count: number) {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: String(i) }]),
  );
}

function warnings(): jest.Mock {
  const warn = jest.fn();
  const logger: DiagLogger = { error: jest.fn(), warn, info: jest.fn(), debug: jest.fn(), verbose: jest.fn() };
  diag.setLogger(logger, DiagLogLevel.WARN);
  return warn;
}
afterEach(() => diag.disable());

describe('with a custom propagator', () => {
  it("SendMessage: its fields go into the free message attributes, the caller's input untouched", async () => {
    const client = new Client();
    const input = Object.freeze({ QueueUrl: QUEUE_URL, MessageBody: 'x', MessageAttributes: userAttributes(3) });
    await client.send(new SendMessageCommand(input));
    const { traceId, spanId } = spanNamed('send orders').spanContext();
    const sent = client.calls[0]?.input;
    expect(sent?.['MessageAttributes']).toEqual({
      ...userAttributes(3),
      trace_id: { DataType: 'String', StringValue: traceId },
      span_id: { DataType: 'String', StringValue: spanId },
      trace_flags: { DataType: 'String', StringValue: '1' },
    });
    expect(sent?.['MessageSystemAttributes']).toBeUndefined();
    expect(Object.keys(input.MessageAttributes)).toHaveLength(3);
  });

  it('SendMessageBatch: every entry carries the fields', async () => {
    const client = new Client();
    const input = {
      QueueUrl: QUEUE_URL,
      Entries: [
        { Id: '1', MessageBody: 'a' },
        { Id: '2', MessageBody: 'b', MessageAttributes: userAttributes(7) },
      ],
    };
    await client.send(new SendMessageBatchCommand(input));
    const { spanId } = spanNamed('send orders').spanContext();
    const entries = client.calls[0]?.input['Entries'] as { MessageAttributes?: Record<string, unknown> }[];
    for (const entry of entries) {
      expect(entry.MessageAttributes?.['span_id']).toEqual({ DataType: 'String', StringValue: spanId });
    }
    expect(input.Entries[0]).not.toHaveProperty('MessageAttributes');
  });

  it('warns when neither the attributes nor AWSTraceHeader can carry the context', async () => {
    const warn = warnings();
    const client = new Client();
    await client.send(
      new SendMessageCommand({
        QueueUrl: QUEUE_URL,
        MessageBody: 'x',
        MessageAttributes: userAttributes(9),
        MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-own' } },
      }),
    );
    expect(warn).toHaveBeenCalledWith(expect.anything(), expect.stringContaining('has no room for trace context'));
  });

  it("ReceiveMessage: asks for the propagator's fields and links the receive span to the producer", async () => {
    const client = new Client();
    client.respond = (_operation, input) => {
      const names = (input['MessageAttributeNames'] as string[] | undefined) ?? [];
      const carried: Record<string, string> = { trace_id: TRACE_ID, span_id: SPAN_ID, trace_flags: '1' };
      const MessageAttributes = Object.fromEntries(
        Object.entries(carried)
          .filter(([name]) => names.includes(name))
          .map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
      );
      return { Messages: [{ MessageId: 'm-1', ReceiptHandle: 'rh', Body: 'b', MessageAttributes }], $metadata: {} };
    };
    const input = Object.freeze({ QueueUrl: QUEUE_URL });
    await client.send(new ReceiveMessageCommand(input));
    expect(client.calls[0]?.input['MessageAttributeNames']).toEqual(FIELDS);
    expect(input).not.toHaveProperty('MessageAttributeNames');
    expect(spanNamed('receive orders').links.map((link) => link.context.spanId)).toEqual([SPAN_ID]);
  });
});
