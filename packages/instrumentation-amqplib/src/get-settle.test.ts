// channel.get (pull), processMessage, and settle spans (ack, nack, reject, ackAll,
// nackAll) against amqplib's real channel classes over a fake connection.
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  defs,
  delivery,
  exporter,
  openChannel,
  patchAmqplib,
  PRODUCER_TRACEPARENT,
  startConsumer,
} from '../test/harness';
import type { AnyChannel } from '../test/harness';
import { processMessage } from './process-message';

const harness = patchAmqplib();
const PromiseChannel = harness.promiseApi['Channel'] as unknown as new (c: never) => AnyChannel;
const CallbackChannel = harness.callbackApi['Channel'] as unknown as new (c: never) => AnyChannel;

beforeEach(() => {
  exporter.reset();
  harness.instrumentation.setConfig({});
});

/** Answers a pending basic.get with one message, frame by frame, as the broker would. */
function answerGet(channel: AnyChannel, headers: Record<string, unknown>) {
  channel.accept({
    id: defs['BasicGetOk'],
    fields: { deliveryTag: 5, redelivered: false, exchange: 'orders', routingKey: 'jobs', messageCount: 0 },
  });
  channel.accept({ id: defs['BasicProperties'], fields: { headers, messageId: 'm-5' }, size: 3 });
  channel.accept({ content: Buffer.from('abc') });
}

describe('get', () => {
  it('makes a CLIENT receive span linked to the producer, and processMessage a connected process span', async () => {
    const channel = openChannel(PromiseChannel as never);
    const pending = channel['get']!('jobs') as Promise<unknown>;
    answerGet(channel, { traceparent: PRODUCER_TRACEPARENT });
    const message = await pending;

    const [receive] = exporter.getFinishedSpans();
    expect(receive?.name).toBe('receive jobs');
    expect(receive?.kind).toBe(SpanKind.CLIENT);
    expect(receive?.links.map((link) => link.context.spanId)).toEqual(['00f067aa0ba902b7']);
    expect(receive?.attributes).toMatchObject({ 'messaging.operation.type': 'receive', 'messaging.message.id': 'm-5' });

    const result = await processMessage(message, async () => trace.getActiveSpan()?.spanContext().spanId);
    const process = exporter.getFinishedSpans()[1];
    expect(result).toBe(process?.spanContext().spanId);
    expect(process?.name).toBe('process orders:jobs');
    expect(process?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(process?.links.map((link) => link.context.spanId)).toEqual([
      '00f067aa0ba902b7',
      receive?.spanContext().spanId,
    ]);
  });

  it('records an empty queue and hands the callback API exactly what amqplib gives', () => {
    const channel = openChannel(CallbackChannel as never);
    const calls: unknown[][] = [];
    channel['get']!('jobs', {}, (...args: unknown[]) => calls.push(args));
    channel.accept({ id: defs['BasicGetEmpty'], fields: {} });
    expect(calls).toEqual([[null, false]]);
    expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['receive jobs']);
  });

  it('ends a pending receive span when the channel closes, and the get still rejects', async () => {
    const channel = openChannel(PromiseChannel as never);
    const pending = channel['get']!('jobs') as Promise<unknown>;
    channel.toClosed();
    await expect(pending).rejects.toThrow(/Channel ended/);
    expect(exporter.getFinishedSpans()[0]?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('processMessage hands anything that is not a message to the handler untraced', () => {
    expect(processMessage(false, () => 'ran')).toBe('ran');
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});

describe('settle', () => {
  beforeEach(() => harness.instrumentation.setConfig({ recordSettleSpans: true }));

  it('makes an ack inside the process span its child', async () => {
    const channel = openChannel(PromiseChannel as never);
    const tag = await startConsumer(channel, 'billing', (message) => channel['ack']!(message));
    channel.emit('delivery', delivery(tag, { traceparent: PRODUCER_TRACEPARENT }));
    const ack = exporter.getFinishedSpans().find((span) => span.name.startsWith('ack'));
    const process = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.CONSUMER);
    expect(ack?.name).toBe('ack orders:order.created:billing');
    expect(ack?.kind).toBe(SpanKind.CLIENT);
    expect(ack?.parentSpanContext?.spanId).toBe(process?.spanContext().spanId);
    expect(ack?.attributes).toMatchObject({
      'messaging.operation.name': 'ack',
      'messaging.operation.type': 'settle',
      'otel_mq.settle.multiple': false,
    });
    expect(channel.connection.sent.at(-1)?.method).toBe(defs['BasicAck']);
  });

  it('links a settle made outside the process span to it and to the producer', async () => {
    const channel = openChannel(PromiseChannel as never);
    const seen: unknown[] = [];
    const tag = await startConsumer(channel, 'q', (message) => seen.push(message));
    channel.emit('delivery', delivery(tag, { traceparent: PRODUCER_TRACEPARENT }));
    context.with(context.active(), () => channel['nack']!(seen[0], false, false));
    const [process, nack] = exporter.getFinishedSpans();
    expect(nack?.name).toBe('nack orders:order.created:q');
    expect(nack?.attributes['otel_mq.settle.requeue']).toBe(false);
    expect(nack?.links.map((link) => link.context.spanId)).toEqual(['00f067aa0ba902b7', process?.spanContext().spanId]);
  });

  it('records reject, ackAll and nackAll, on both APIs', () => {
    for (const Channel of [PromiseChannel, CallbackChannel]) {
      const channel = openChannel(Channel as never);
      channel['reject']!(delivery('t', undefined));
      channel['ackAll']!();
      channel['nackAll']!(false);
    }
    const summary = exporter
      .getFinishedSpans()
      .map((span) => [
        span.name,
        span.attributes['otel_mq.settle.multiple'],
        span.attributes['otel_mq.settle.requeue'],
      ]);
    const once = [
      ['reject orders:order.created', false, true],
      ['ack', true, undefined],
      ['nack', true, false],
    ];
    expect(summary).toEqual([...once, ...once]);
  });

  it('passes an ack on a closed channel through as amqplib throws it', () => {
    const channel = openChannel(PromiseChannel as never);
    channel.toClosed();
    expect(() => channel['ack']!(delivery('t', undefined))).toThrow(/Channel closed/);
    expect(exporter.getFinishedSpans()[0]?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('makes no settle spans by default, nor when recordSettleSpans is false', () => {
    for (const config of [{}, { recordSettleSpans: false }]) {
      exporter.reset();
      harness.instrumentation.setConfig(config);
      const channel = openChannel(PromiseChannel as never);
      channel['ackAll']!();
      expect(exporter.getFinishedSpans()).toHaveLength(0);
      expect(channel.connection.sent).toHaveLength(1);
    }
  });
});
