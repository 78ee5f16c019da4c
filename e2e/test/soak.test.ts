// The CI-sized soak: 5,000 messages per system through the suite's brokers, in a
// process with the register entry and --expose-gc. The heap after GC stays flat
// (within the soak's bound) and no handle is left growing. `pnpm run soak` is the
// full-sized one (200,000 messages per system, SOAK.md).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brokersFromEnv } from '../src/environment.ts';
import { HANDLE_GROWTH_BOUND, HEAP_GROWTH_BOUND_BYTES, judge, runSoakApp, startOtlpSink } from '../src/soak.ts';

const MESSAGES = 5_000;

describe('soak (CI-sized)', () => {
  const brokers = brokersFromEnv();
  let sink: Awaited<ReturnType<typeof startOtlpSink>>;
  before(async () => {
    sink = await startOtlpSink();
  });
  after(async () => {
    await sink.close();
  });

  for (const system of ['kafka', 'rabbitmq', 'sqs'] as const) {
    it(`${system}: ${MESSAGES} messages, flat heap, no handle growth`, async () => {
      const result = await runSoakApp(
        system,
        MESSAGES,
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
          E2E_RABBITMQ_URL: brokers.rabbitmqUrl,
          E2E_KAFKA_BROKERS: brokers.kafkaBrokers,
          E2E_KAFKA_TOPIC: 'e2e-smoke',
          E2E_SQS_ENDPOINT: brokers.sqs['local-aws-sqs'],
          E2E_SQS_REGION: brokers.sqs.region,
        },
        90_000,
      );
      const verdict = judge(result);
      const heaps = result.samples.map((sample) => (sample.heapUsed / 1024 / 1024).toFixed(1)).join(', ');
      assert.equal(result.samples.length, 10, 'a sample every tenth');
      assert.ok(
        verdict.heapGrowth <= HEAP_GROWTH_BOUND_BYTES,
        `heap after GC grew by ${verdict.heapGrowth} bytes (MB at each tenth: ${heaps})`,
      );
      assert.ok(
        verdict.handleGrowth <= HANDLE_GROWTH_BOUND,
        `active handles grew by ${verdict.handleGrowth}: ${JSON.stringify(result.samples.map((sample) => sample.resources))}`,
      );
      assert.ok(sink.requests() > 0, 'spans were exported');
    });
  }
});
