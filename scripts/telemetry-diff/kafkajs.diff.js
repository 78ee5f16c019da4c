// kafkajs workload, on the plugin's unit-test fake (src/test-support/fake-kafkajs.ts).
const { TRACEPARENT, instrument, scenario, writeSnapshot } = require('./telemetry');
const {
  exporter: fakeExporter,
  patchedKafkaJs,
} = require('../../packages/instrumentation-kafkajs/src/test-support/fake-kafkajs');

/** A consumed record with a fixed timestamp (the fake's own uses Date.now()). */
function record(offset, headers = {}) {
  return { key: Buffer.from(`k${offset}`), value: Buffer.from('value'), offset, timestamp: '1700000000000', headers };
}

function kafka(config) {
  const { instrumentation, kafka: client } = patchedKafkaJs(config);
  instrument(instrumentation);
  return client;
}

const results = [];
const run = async (name, work) => results.push(await scenario(name, work, [fakeExporter]));

test('kafkajs workload', async () => {
  const plain = kafka({});
  const perMessage = kafka({ createSpansPerMessage: true });

  await run('send single', async () => {
    await plain()
      .producer()
      .send({ topic: 'orders', messages: [{ key: 'k1', value: 'v1' }] });
  });
  await run('send batch', async () => {
    await plain()
      .producer()
      .sendBatch({
        topicMessages: [
          { topic: 'orders', messages: [{ value: 'a' }, { value: 'b' }] },
          { topic: 'audit', messages: [{ key: 'x', value: null }] },
        ],
      });
  });
  await run('send createSpansPerMessage', async () => {
    await perMessage()
      .producer()
      .send({ topic: 'orders', messages: [{ key: 'k1', value: 'v1' }, { value: 'v2' }] });
  });
  await run('send rejects', async () => {
    const client = plain();
    client.failWith = Object.assign(new Error('broker down'), { type: 'LEADER_NOT_AVAILABLE' });
    await client.producer().send({ topic: 'orders', messages: [{ value: 'v' }] });
  });

  const eachMessage = async (name, handler) =>
    run(name, async () => {
      const client = plain();
      await client.consumer({ groupId: 'billing' }).run({ eachMessage: handler });
      await client.runConfig.eachMessage({
        topic: 'orders',
        partition: 1,
        message: record('7', { traceparent: Buffer.from(TRACEPARENT) }),
      });
    });
  await eachMessage('eachMessage success', async () => undefined);
  await eachMessage('eachMessage throws', async () => {
    throw new TypeError('handler failed');
  });
  await eachMessage('eachMessage rejects undefined', () => Promise.reject(undefined));
  await run('eachMessage no context', async () => {
    const client = plain();
    await client.consumer({ groupId: 'billing' }).run({ eachMessage: async () => undefined });
    await client.runConfig.eachMessage({ topic: 'orders', partition: 0, message: record('8') });
  });

  await run('eachBatch', async () => {
    const client = plain();
    await client.consumer({ groupId: 'billing' }).run({
      eachBatch: async ({ batch, resolveOffset }) => {
        for (const message of batch.messages) resolveOffset(message.offset);
      },
    });
    const messages = [
      record('10', { traceparent: TRACEPARENT }),
      record('11'),
      record('12', { traceparent: Buffer.from(TRACEPARENT) }),
    ];
    await client.runConfig.eachBatch({
      batch: { topic: 'orders', partition: 0, messages },
      resolveOffset: () => undefined,
      heartbeat: async () => undefined,
    });
  });
  await run('eachBatch throws', async () => {
    const client = plain();
    await client.consumer({ groupId: 'billing' }).run({ eachBatch: () => Promise.reject(new Error('batch failed')) });
    await client.runConfig.eachBatch({
      batch: { topic: 'orders', partition: 0, messages: [record('20', { traceparent: TRACEPARENT })] },
      resolveOffset: () => undefined,
      heartbeat: async () => undefined,
    });
  });

  const withCommits = kafka({ commitSpans: true });
  await run('commitOffsets with commitSpans', async () => {
    await withCommits()
      .consumer({ groupId: 'billing' })
      .commitOffsets([
        { topic: 'orders', partition: 0, offset: '5' },
        { topic: 'orders', partition: 1, offset: '9' },
        { topic: 'refunds', partition: 0, offset: '2' },
      ]);
  });
  await run('commitOffsets rejects undefined', async () => {
    const client = withCommits();
    client.rejectWithUndefined = true;
    await client.consumer({ groupId: 'billing' }).commitOffsets([{ topic: 'orders', partition: 0, offset: '5' }]);
  });

  writeSnapshot('kafkajs', results);
});
