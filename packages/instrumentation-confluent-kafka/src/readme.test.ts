// The README's tables against the code: options against the config type's
// source, spans and attributes against what the plugin really emits for every
// surface (run on the fake client), metrics against the semconv constants.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import {
  METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES,
  METRIC_MESSAGING_CLIENT_OPERATION_DURATION,
  METRIC_MESSAGING_CLIENT_SENT_MESSAGES,
  METRIC_MESSAGING_PROCESS_DURATION,
} from '@org/messaging-propagation';
import { traceKafkaBatchMessage } from './index';
import { consumedMessage, exporter, patchedConfluent, PRODUCER_TRACEPARENT } from './test-support/fake-confluent';
import { SUPPORTED_VERSIONS } from './version';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const typesSource = readFileSync(join(__dirname, 'types.ts'), 'utf8');

function table(heading: string): string[][] {
  const section = readme.split(`## ${heading}\n`)[1]?.split('\n## ')[0]?.split('\n### ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}
const unquote = (cell: string | undefined) => (cell ?? '').replace(/^`|`$/g, '');

/** Every span the plugin makes, one scenario per surface, errors included. */
async function emitEverySpan() {
  exporter.reset();
  const { kafka } = patchedConfluent({ createSpansPerMessage: true, commitSpans: true, captureBodySize: true });
  const client = kafka();
  const producer = client.producer();
  await producer.send({ topic: 'orders', messages: [{ key: 'k', value: null, partition: 1 }] });
  await producer.sendBatch({ topicMessages: [{ topic: 'orders', messages: [{ value: 'a' }, { value: 'b' }] }] });
  (producer as unknown as { failWith: unknown }).failWith = Object.assign(new Error('down'), {
    code: 'ERR__TRANSPORT',
  });
  await producer.send({ topic: 'orders', messages: [{ value: 'x' }] }).catch(() => undefined);
  const consumer = client.consumer({ kafkaJS: { groupId: 'g' } });
  consumer.failWith = new Error('not connected');
  await consumer.commitOffsets([{ topic: 'orders', partition: 0, offset: '1' }]).catch(() => undefined);
  consumer.failWith = undefined;
  await consumer.commitOffsets([
    { topic: 'orders', partition: 0, offset: '1' },
    { topic: 'orders', partition: 1, offset: '2' },
  ]);
  await consumer.run({
    eachMessage: () => Promise.reject(new Error('handler')),
    eachBatch: async (payload: unknown) => {
      const { batch, resolveOffset } = payload as {
        batch: { messages: ReturnType<typeof consumedMessage>[] };
        resolveOffset: (offset: string) => void;
      };
      const [first, second] = batch.messages;
      if (first) await traceKafkaBatchMessage(batch, first, () => undefined);
      if (second) resolveOffset(second.offset);
    },
  });
  const message = { ...consumedMessage('3', { traceparent: PRODUCER_TRACEPARENT }), key: Buffer.from('k') };
  await consumer.runConfig?.eachMessage?.({ topic: 'orders', partition: 0, message }).catch(() => undefined);
  await consumer.runConfig?.eachBatch?.({
    batch: { topic: 'orders', partition: 0, messages: [message, { ...consumedMessage('4'), value: null }] },
    resolveOffset: () => undefined,
  });
  return exporter.getFinishedSpans();
}

describe('README tables match the code', () => {
  it('lists exactly the config options, with their defaults', () => {
    const fields = [...typesSource.matchAll(/^ {2}(\w+)\?:/gm)].map((match) => match[1]);
    const rows = table('Options');
    expect(rows.map(([name]) => unquote(name)).sort()).toEqual(['enabled', ...fields].sort());
    const defaults = new Map(
      [...typesSource.matchAll(/@default (\S+)\n\s+\*\/\n\s+(\w+)\?:/g)].map((m) => [m[2], m[1]]),
    );
    for (const [name, , documentedDefault] of rows) {
      const coded = defaults.get(unquote(name));
      if (coded !== undefined)
        expect(`${unquote(name)}: ${unquote(documentedDefault)}`).toBe(`${unquote(name)}: ${coded}`);
    }
  });

  it('lists exactly the spans the plugin makes, with their kinds', async () => {
    const emitted = new Set(
      (await emitEverySpan()).map((span) => `${span.name.replace('orders', '{topic}')} ${SpanKind[span.kind]}`),
    );
    const documented = new Set(table('Spans').map(([name, kind]) => `${unquote(name)} ${kind}`));
    expect([...documented].sort()).toEqual([...emitted].sort());
  });

  it('lists exactly the attributes the plugin sets, on the operations that set them', async () => {
    const emitted = new Map<string, Set<string>>();
    for (const span of await emitEverySpan()) {
      const operation = String(span.attributes['messaging.operation.name']);
      for (const key of Object.keys(span.attributes)) {
        emitted.set(key, (emitted.get(key) ?? new Set()).add(operation));
      }
    }
    const documented = new Map(
      table('Attributes').map(([name, on]) => [unquote(name), new Set((on ?? '').split(',').map((op) => op.trim()))]),
    );
    expect([...documented.keys()].sort()).toEqual([...emitted.keys()].sort());
    for (const [name, operations] of emitted) {
      expect(`${name}: ${[...(documented.get(name) ?? [])].sort().join(', ')}`).toBe(
        `${name}: ${[...operations].sort().join(', ')}`,
      );
    }
  });

  it('lists the four semconv messaging metrics', () => {
    expect(
      table('Metrics')
        .map(([name]) => unquote(name))
        .sort(),
    ).toEqual(
      [
        METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES,
        METRIC_MESSAGING_CLIENT_OPERATION_DURATION,
        METRIC_MESSAGING_CLIENT_SENT_MESSAGES,
        METRIC_MESSAGING_PROCESS_DURATION,
      ].sort(),
    );
  });

  it('states the supported versions and documents the batch helper', () => {
    expect(readme).toContain(`\`@confluentinc/kafka-javascript\` \`${SUPPORTED_VERSIONS.join(' || ')}\``);
    expect(readme).toContain('`traceKafkaBatchMessage(');
  });
});
