/* eslint-disable @typescript-eslint/prefer-promise-reject-errors -- the case under test */
// A rejection is a failure whatever it carries: SDK calls and per-message work
// that reject with `undefined` end their spans as errors, `error.type` `_OTHER`.
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { finishedSpans, QUEUE_URL, SendMessageCommand, spanNamed, useInstrumentation } from '../test/harness';
import { wrapSqsHandler } from './lambda/wrapper';
import { processSqsMessage } from './process';

const { Client } = useInstrumentation();

function expectFailed(span: ReadableSpan | undefined): void {
  expect(span?.status.code).toBe(SpanStatusCode.ERROR);
  expect(span?.attributes['error.type']).toBe('_OTHER');
}

describe('rejecting with undefined', () => {
  it('fails the send span of a send that rejects', async () => {
    const client = new Client();
    client.respond = () => Promise.reject(undefined);
    await expect(
      client.send(new SendMessageCommand({ QueueUrl: QUEUE_URL, MessageBody: 'x' })),
    ).rejects.toBeUndefined();
    expectFailed(spanNamed('send orders'));
  });

  it('fails the process span of work that rejects', async () => {
    const message = { MessageId: 'm-1', Body: 'x' };
    await expect(
      processSqsMessage(message, () => Promise.reject(undefined), { queueUrl: QUEUE_URL }),
    ).rejects.toBeUndefined();
    expectFailed(spanNamed('process orders'));
  });

  it('fails the Lambda invocation span of a handler that rejects', async () => {
    const handler = wrapSqsHandler(() => Promise.reject(undefined));
    await expect(handler({ Records: [] }, {})).rejects.toBeUndefined();
    expectFailed(finishedSpans()[0]);
  });
});
