// Handlers that never settle: enabling the plugin installs the process's sweep at
// exit, which ends their spans as errors, with or without a channel; a channel
// that closes ends its own.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { endOpenSpans } from '@org/messaging-propagation/internal';
import { delivery, exporter, openChannel, patchAmqplib, startConsumer } from '../test/harness';
import type { AnyChannel } from '../test/harness';
import { AmqplibInstrumentation } from './instrumentation';
import { processMessage } from './process-message';

const harness = patchAmqplib();
const Channel = harness.promiseApi['Channel'] as unknown as new (c: never) => AnyChannel;
beforeEach(() => {
  endOpenSpans();
  exporter.reset();
});
const never = () => new Promise(() => undefined);
const processSpans = () => exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CONSUMER);

describe('at exit', () => {
  it('an enabled plugin installs the sweep', () => {
    new AmqplibInstrumentation().disable();
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('otel-mq.exit-sweep')]).toBeDefined();
  });

  it("ends a never-settling processMessage handler's span as HandlerUnsettledAtExitError", () => {
    void processMessage(delivery('t', undefined), never);
    expect(endOpenSpans()).toBe(1);
    const [span] = processSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('HandlerUnsettledAtExitError');
  });

  it("ends a never-settling consumer's span at exit, and not again when its channel closes", async () => {
    const channel = openChannel(Channel as never);
    const tag = await startConsumer(channel, 'q', never);
    channel.emit('delivery', delivery(tag, undefined));
    expect(endOpenSpans()).toBe(1);
    channel.toClosed();
    expect(processSpans().map((span) => span.attributes['error.type'])).toEqual(['HandlerUnsettledAtExitError']);
  });
});
