// With OTEL_MQ_AUTO_INSTRUMENTATIONS=true the upstream aws-sdk instrumentation stays
// on for every service but SQS and SNS publishing: SNS CreateTopic beside SQS is still traced by upstream,
// SQS calls get otel-mq's spans only (not doubled), and the SQS calls' HTTP spans
// stay children of otel-mq's spans.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv } from '../src/environment.ts';
import { runFixtureOk } from '../src/fixture.ts';
import { startOtlpReceiver } from '../src/otlp/receiver.ts';
import type { OtlpReceiver, ReceivedSpan } from '../src/otlp/receiver.ts';
import { expectChildOf, findSpan, renderTree } from '../src/otlp/trace-assertions.ts';

const brokers = brokersFromEnv();
const UPSTREAM_AWS_SDK = '@opentelemetry/instrumentation-aws-sdk';
const OURS = '@org/instrumentation-aws-sqs';

describe('coexistence with the upstream aws-sdk instrumentation', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  it('OTEL_MQ_AUTO_INSTRUMENTATIONS=true: upstream still traces SNS CreateTopic; SQS and SNS Publish spans are ours only', async () => {
    receiver.clear();
    const { result, stderr } = await runFixtureOk('coexist-aws.cjs', 'cjs', {
      receiver,
      env: {
        OTEL_MQ_AUTO_INSTRUMENTATIONS: 'true',
        E2E_SQS_ENDPOINT: brokers.sqs.fauxqs,
        E2E_SQS_REGION: brokers.sqs.region,
      },
    });
    const { queue, body, sendUnchanged, receiveUnchanged } = result as {
      queue: { name: string };
      body: string;
      sendUnchanged: boolean;
      receiveUnchanged: boolean;
    };
    const spans = receiver.spans();
    const tree = () => `${JSON.stringify(result)}\n${stderr.slice(-3000)}\n${renderTree(spans)}`;
    const fromUpstream = spans.filter((span) => span.scope.name === UPSTREAM_AWS_SDK);

    // SNS: upstream still traces the calls otel-mq does not record (CreateTopic);
    // Publish is ours alone, one span, under the application's span.
    const upstreamSns = fromUpstream.filter((span) => span.attributes['rpc.service'] === 'SNS');
    assert.deepEqual(
      upstreamSns.map((span) => span.attributes['rpc.method']),
      ['CreateTopic'],
      `upstream traced SNS CreateTopic, and no Publish:\n${tree()}`,
    );
    const publishes = spans.filter(
      (span) =>
        span.scope.name === OURS && /^send /.test(span.name) && span.attributes['messaging.system.name'] === 'aws.sns',
    );
    assert.equal(publishes.length, 1, `one SNS send span of ours:\n${tree()}`);
    expectChildOf(publishes[0]!, findSpan(spans, { name: 'app publish notification' }));

    // SQS: no upstream span at all; one span of ours per call.
    const upstreamSqs = fromUpstream.filter((span) => span.attributes['rpc.service'] === 'SQS');
    assert.deepEqual(
      upstreamSqs.map((span) => span.name),
      [],
      `upstream recorded no SQS span:\n${tree()}`,
    );
    const ours = (name: string): ReceivedSpan[] =>
      spans.filter((span) => span.scope.name === OURS && span.name === `${name} ${queue.name}`);
    for (const name of ['send', 'receive', 'process', 'delete']) {
      assert.equal(ours(name).length, 1, `one "${name} ${queue.name}" span:\n${tree()}`);
    }
    const send = ours('send')[0]!;
    expectChildOf(send, findSpan(spans, { name: 'app send job' }));
    expectChildOf(ours('process')[0]!, send);
    // The SendMessage HTTP request is still traced, as a child of our send span.
    assert.ok(
      spans.some(
        (span) => span.kind === 'CLIENT' && span.parentSpanId === send.spanId && span.traceId === send.traceId,
      ),
      `an HTTP client span under "${send.name}":\n${tree()}`,
    );

    assert.equal(body, 'job');
    assert.ok(sendUnchanged, "the caller's SendMessage input is unchanged");
    assert.ok(receiveUnchanged, "the caller's ReceiveMessage input is unchanged");
    assert.doesNotMatch(stderr, /turned off entirely/);
  });
});
