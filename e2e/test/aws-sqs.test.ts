// @aws-sdk/client-sqs through both SQS emulators, instrumented by the register
// entry: send → receive → process is one trace, the context survives the
// 10-attribute limit, batches, redelivery, dead-lettering, FIFO queues and SNS
// envelopes, and the application's commands and responses look as they would
// without the plugin.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv } from '../src/environment.ts';
import { runFixtureOk } from '../src/fixture.ts';
import type { ModuleSystem } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver, ReceivedSpan } from '../src/otlp/receiver.ts';
import {
  expectAttributes,
  expectChildOf,
  expectEnded,
  expectKind,
  expectLinkedTo,
  spansNamed,
} from '../src/otlp/trace-assertions.ts';

const brokers = brokersFromEnv();
const EMULATORS = ['fauxqs', 'local-aws-sqs'] as const;
type Emulator = (typeof EMULATORS)[number];

interface Queue {
  name: string;
  url: string;
}
interface MessageShape {
  keys: string[];
  messageAttributes: string[];
  attributes: string[];
}

function parentOf(spans: ReceivedSpan[], child: ReceivedSpan): ReceivedSpan {
  const parent = spans.find((span) => span.spanId === child.parentSpanId);
  assert.ok(parent, `the parent of "${child.name}" was not received`);
  return parent;
}

/** The one span with this name in the run, checked to have ended. */
function only(spans: ReceivedSpan[], name: string): ReceivedSpan {
  const found = spansNamed(spans, name);
  assert.equal(found.length, 1, `expected one "${name}" span, got ${found.length}`);
  expectEnded(found[0]!);
  return found[0]!;
}

describe('aws-sqs', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  async function run(
    emulator: Emulator,
    system: ModuleSystem,
    args: string[],
    env: Record<string, string> = {},
  ): Promise<unknown> {
    const file = system === 'cjs' ? 'sqs-app.cjs' : 'sqs-app.mjs';
    const { result } = await runFixtureOk(file, system, {
      receiver,
      args,
      env: { E2E_SQS_ENDPOINT: brokers.sqs[emulator], E2E_SQS_REGION: brokers.sqs.region, ...env },
    });
    return result;
  }

  for (const emulator of EMULATORS) {
    for (const system of ['cjs', 'esm'] as ModuleSystem[]) {
      it(`send → receive → process is one trace (${emulator}, ${system})`, async () => {
        receiver.clear();
        const result = (await run(emulator, system, ['roundtrip'], {
          OTEL_METRICS_EXPORTER: 'otlp',
          OTEL_MQ_AWS_SQS_CAPTURE_BODY_SIZE: 'true',
        })) as {
          queue: Queue;
          messageId: string;
          body: boolean;
          sendUnchanged: boolean;
          receiveUnchanged: boolean;
          received: MessageShape;
          sqsSendWrapped: boolean;
          sharedSendWrapped: boolean;
        };
        const spans = receiver.spans();
        const queue = result.queue.name;
        const app = only(spans, 'app send job');
        const send = only(spans, `send ${queue}`);
        const receive = only(spans, `receive ${queue}`);
        const process = only(spans, `process ${queue}`);
        const handle = only(spans, 'app handle message');
        const remove = only(spans, `delete ${queue}`);

        expectKind(send, 'PRODUCER');
        expectKind(receive, 'CLIENT');
        expectKind(process, 'CONSUMER');
        expectKind(remove, 'CLIENT');
        expectChildOf(send, app);
        expectLinkedTo(receive, send);
        expectChildOf(process, send);
        expectLinkedTo(process, send);
        expectChildOf(handle, process);
        expectChildOf(remove, handle);

        expectAttributes(send, {
          'messaging.system.name': 'aws.sqs',
          'messaging.operation.name': 'send',
          'messaging.operation.type': 'send',
          'messaging.destination.name': queue,
          'aws.sqs.queue.url': result.queue.url,
          'messaging.message.id': result.messageId,
          'cloud.region': brokers.sqs.region,
        });
        expectAttributes(receive, {
          'messaging.operation.type': 'receive',
          'messaging.batch.message_count': 1,
          'messaging.destination.name': queue,
        });
        expectAttributes(process, {
          'messaging.operation.type': 'process',
          'messaging.message.id': result.messageId,
          'otel_mq.message.delivery_count': 1,
          'otel_mq.message.queue_time_ms': (value) => typeof value === 'number' && value >= 0,
          'otel_mq.context.carrier': 'message-attributes',
        });
        expectAttributes(remove, { 'messaging.operation.type': 'settle', 'messaging.operation.name': 'delete' });
        // OTEL_MQ_AWS_SQS_CAPTURE_BODY_SIZE: the body's size in bytes (`jöb-{uuid}`), per message.
        const BODY_BYTES = 41;
        expectAttributes(send, { 'messaging.message.body.size': BODY_BYTES });
        expectAttributes(process, { 'messaging.message.body.size': BODY_BYTES });
        expectAttributes(receive, { 'messaging.message.body.size': undefined });
        assert.deepEqual(
          receive.links.map((link) => link.attributes['messaging.message.body.size']),
          [BODY_BYTES],
          'the receive span gives the size on the link to the message',
        );

        assert.ok(result.sqsSendWrapped, 'SQSClient.prototype.send is wrapped');
        assert.ok(!result.sharedSendWrapped, "smithy's Client.prototype.send (every other AWS service) is not");
        assert.ok(result.body, 'the body arrives unchanged');
        assert.ok(result.sendUnchanged, "the caller's SendMessage command and input are unchanged");
        assert.ok(result.receiveUnchanged, "the caller's ReceiveMessage input is unchanged");
        // The caller asked for no attributes: it gets none of those the plugin asked for.
        assert.deepEqual(result.received.messageAttributes, []);
        assert.deepEqual(result.received.attributes, []);
        assert.ok(!result.received.keys.includes('MD5OfMessageAttributes'), result.received.keys.join(', '));

        const metrics = await receiver.waitForMetrics((received) => {
          const names = new Set(received.map((metric) => metric.name));
          return [
            'messaging.client.operation.duration',
            'messaging.process.duration',
            'messaging.client.sent.messages',
            'messaging.client.consumed.messages',
          ].every((name) => names.has(name));
        }, 10_000);
        assert.ok(metrics.length >= 4);
      });
    }

    it(`a message with 10 attributes of its own is still sent, and connects through AWSTraceHeader where kept (${emulator})`, async () => {
      receiver.clear();
      const result = (await run(emulator, 'cjs', ['tenAttributes'])) as {
        queue: Queue;
        sendUnchanged: boolean;
        received: MessageShape;
      };
      const spans = receiver.spans();
      const send = only(spans, `send ${result.queue.name}`);
      const process = only(spans, `process ${result.queue.name}`);
      assert.equal(send.status.code, 'UNSET', 'the send succeeds');
      assert.ok(result.sendUnchanged);
      assert.equal(result.received.messageAttributes.length, 10, 'the user attributes arrive, and nothing else');
      for (const span of [send, process]) {
        expectAttributes(span, { 'messaging.message.body.size': undefined }); // captureBodySize is off by default
      }
      if (emulator === 'local-aws-sqs') {
        expectChildOf(process, send);
        expectAttributes(process, { 'otel_mq.context.carrier': 'aws-trace-header' });
      } else {
        // fauxqs drops AWSTraceHeader: the process span starts a new trace, unlinked.
        assert.notEqual(process.traceId, send.traceId);
        assert.deepEqual(process.links, []);
      }
    });

    it(`a batch of 10: one send span, every message connected, the caller's attribute list honoured (${emulator})`, async () => {
      receiver.clear();
      const result = (await run(emulator, 'cjs', ['batch'])) as {
        queue: Queue;
        successful: number;
        failed: number;
        sendUnchanged: boolean;
        receiveUnchanged: boolean;
        callerNames: string[];
        received: MessageShape[];
      };
      const spans = receiver.spans();
      const send = only(spans, `send ${result.queue.name}`);
      expectKind(send, 'PRODUCER');
      expectAttributes(send, { 'messaging.batch.message_count': 10 });
      assert.equal(send.status.code, 'UNSET');
      assert.equal(result.successful, 10);
      assert.ok(result.sendUnchanged && result.receiveUnchanged);
      assert.deepEqual(result.callerNames, ['x-user']);
      assert.equal(result.received.length, 10);
      for (const message of result.received) {
        assert.deepEqual(message.messageAttributes, ['x-user'], 'exactly the attributes the caller asked for');
        assert.deepEqual(message.attributes, []);
      }
      const processes = spansNamed(spans, `process ${result.queue.name}`);
      assert.equal(processes.length, 10);
      for (const process of processes) expectChildOf(process, send);
      for (const receive of spansNamed(spans, `receive ${result.queue.name}`)) {
        for (const link of receive.links) assert.equal(link.spanId, send.spanId);
      }
    });

    it(`redelivery after the visibility timeout, then the dead-letter queue consumer joins the original trace (${emulator})`, async () => {
      receiver.clear();
      const result = (await run(emulator, 'cjs', ['redrive'])) as { queue: Queue; dlq: Queue; leftover: number };
      const spans = receiver.spans();
      const send = only(spans, `send ${result.queue.name}`);
      for (const attempt of [1, 2]) {
        const process = parentOf(spans, only(spans, `app attempt ${attempt}`));
        expectChildOf(process, send);
        expectAttributes(process, { 'otel_mq.message.delivery_count': attempt, 'error.type': 'Error' });
        assert.equal(process.status.code, 'ERROR');
      }
      const dead = only(spans, `process ${result.dlq.name}`);
      expectChildOf(dead, send);
      expectLinkedTo(dead, send);
      expectAttributes(dead, { 'otel_mq.message.delivery_count': (value) => typeof value === 'number' && value >= 1 });
      expectChildOf(only(spans, 'app handle dead letter'), dead);
      assert.equal(result.leftover, 0);
    });

    it(`FIFO queues: group and deduplication ids, one trace (${emulator})`, async () => {
      receiver.clear();
      const result = (await run(emulator, 'esm', ['fifo'])) as { queue: Queue };
      const spans = receiver.spans();
      const send = only(spans, `send ${result.queue.name}`);
      expectAttributes(send, {
        'otel_mq.aws_sqs.message_group_id': 'group-1',
        'otel_mq.aws_sqs.message_deduplication_id': /^dedup-/,
      });
      expectChildOf(only(spans, `process ${result.queue.name}`), send);
    });
  }

  it('a malformed traceparent is processed normally, as a new trace', async () => {
    receiver.clear();
    const { queue } = (await run('local-aws-sqs', 'cjs', ['sendRaw', 'malformed'], {
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'aws-sqs',
    })) as { queue: Queue };
    const consumed = (await run('local-aws-sqs', 'cjs', ['consumeRaw', queue.url])) as { received: MessageShape };
    const spans = receiver.spans();
    const process = only(spans, `process ${queue.name}`);
    assert.equal(process.parentSpanId, undefined);
    assert.deepEqual(process.links, []);
    assert.equal(process.status.code, 'UNSET');
    expectAttributes(process, { 'otel_mq.context.carrier': undefined });
    expectChildOf(only(spans, 'app handle message'), process);
    assert.deepEqual(consumed.received.messageAttributes, ['traceparent', 'tracestate']);
  });

  for (const emulator of EMULATORS) {
    it(`SNS→SQS envelopes: the publisher's context inside the JSON body is found (${emulator})`, async () => {
      receiver.clear();
      const { queue } = (await run(emulator, 'cjs', ['sendRaw', 'sns'], {
        OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'aws-sqs',
      })) as { queue: Queue };
      await run(emulator, 'esm', ['consumeRaw', queue.url]);
      const spans = receiver.spans();
      const publish = only(spans, 'app publish notification');
      const process = only(spans, `process ${queue.name}`);
      expectChildOf(process, publish);
      expectAttributes(process, { 'otel_mq.context.carrier': 'sns-envelope' });
    });
  }

  it("SNS→SQS through fauxqs's own SNS (raw delivery off): the SQS consumer joins the publisher's trace", async () => {
    receiver.clear();
    const { queue } = (await run('fauxqs', 'cjs', ['snsPublish'])) as { queue: Queue };
    await run('fauxqs', 'esm', ['consumeRaw', queue.url]);
    const spans = receiver.spans();
    const process = only(spans, `process ${queue.name}`);
    expectChildOf(process, only(spans, 'app publish notification'));
    expectAttributes(process, { 'otel_mq.context.carrier': 'sns-envelope' });
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=aws-sqs turns the plugin off', async () => {
    receiver.clear();
    await run('fauxqs', 'cjs', ['roundtrip'], { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'aws-sqs' });
    const names = receiver.spans().map((span) => span.name);
    assert.ok(names.includes('app send job'), names.join(', '));
    assert.ok(!names.some((name) => /^(send|receive|process|delete) /.test(name)), names.join(', '));
  });
});
