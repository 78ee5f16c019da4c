// amqplib workload: amqplib's real channel classes over the unit tests' fake
// connection (packages/instrumentation-amqplib/test/harness.ts).
const { TRACEPARENT, flush, instrument, scenario, writeSnapshot } = require('./telemetry');
const harnessModule = require('../../packages/instrumentation-amqplib/test/harness');
const { processMessage } = require('../../packages/instrumentation-amqplib/src/index');

const { defs, delivery, exporter: fakeExporter, openChannel, patchAmqplib, startConsumer } = harnessModule;

const results = [];
const run = async (name, work) => results.push(await scenario(name, work, [fakeExporter]));

/** Answers a pending basic.get with one message, frame by frame, as the broker would. */
function answerGet(channel, headers) {
  channel.accept({
    id: defs['BasicGetOk'],
    fields: { deliveryTag: 5, redelivered: false, exchange: 'orders', routingKey: 'jobs', messageCount: 0 },
  });
  channel.accept({ id: defs['BasicProperties'], fields: { headers, messageId: 'm-5' }, size: 3 });
  channel.accept({ content: Buffer.from('abc') });
}

test('amqplib workload', async () => {
  const harness = patchAmqplib();
  instrument(harness.instrumentation);
  const PromiseChannel = harness.promiseApi['Channel'];
  const CallbackChannel = harness.callbackApi['Channel'];

  await run('publish', async () => {
    const channel = openChannel(PromiseChannel);
    channel.publish('orders', 'order.created', Buffer.from('hello'), { messageId: 'p-1', correlationId: 'c-1' });
  });
  await run('sendToQueue', async () => {
    const channel = openChannel(PromiseChannel);
    channel.sendToQueue('jobs', Buffer.from('x'));
  });

  const consume = (name, Channel, handler, options) =>
    run(name, async () => {
      const channel = openChannel(Channel);
      const tag = await startConsumer(channel, 'billing', (message) => handler(channel, message), options);
      channel.emit('delivery', delivery(tag, { traceparent: TRACEPARENT }));
      await flush();
    });
  await consume('consume ack', PromiseChannel, (channel, message) => channel.ack(message));
  await consume('consume nack', PromiseChannel, (channel, message) => channel.nack(message, false, false));
  await consume('consume ack (callback API)', CallbackChannel, (channel, message) => channel.ack(message));
  await consume('consume noAck', PromiseChannel, () => undefined, { noAck: true });
  await consume('consume handler throws', PromiseChannel, () => {
    throw new Error('handler failed');
  });
  await consume('consume async then ack', PromiseChannel, async (channel, message) => {
    await flush();
    channel.ack(message);
  });

  harness.instrumentation.setConfig({ recordSettleSpans: true });
  await consume('recordSettleSpans: consume ack', PromiseChannel, (channel, message) => channel.ack(message));
  await consume('recordSettleSpans: consume nack', PromiseChannel, (channel, message) =>
    channel.nack(message, false, true),
  );
  harness.instrumentation.setConfig({});

  await run('get + processMessage', async () => {
    const channel = openChannel(PromiseChannel);
    const pending = channel.get('jobs');
    answerGet(channel, { traceparent: TRACEPARENT });
    const message = await pending;
    await processMessage(message, async () => channel.ack(message));
  });
  await run('get + processMessage throws', async () => {
    const channel = openChannel(PromiseChannel);
    const pending = channel.get('jobs');
    answerGet(channel, { traceparent: TRACEPARENT });
    const message = await pending;
    await processMessage(message, async () => {
      throw new Error('processing failed');
    });
  });

  // A consume callback's rejection surfaces unhandled (amqplib drops what the callback
  // returns) and jest fails on it, so `reject(undefined)` goes through processMessage.
  await run('get + processMessage rejects undefined', async () => {
    const channel = openChannel(PromiseChannel);
    const pending = channel.get('jobs');
    answerGet(channel, { traceparent: TRACEPARENT });
    const message = await pending;
    await processMessage(message, () => Promise.reject(undefined));
  });

  writeSnapshot('amqplib', results);
});
