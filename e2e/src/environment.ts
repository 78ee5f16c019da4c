// The brokers a test run started, handed to test files through environment variables
// by src/run-e2e.ts, and to fixtures the same way.

export const KAFKA_TOPICS = [
  { name: 'e2e-smoke', partitions: 2 },
  { name: 'e2e-orders', partitions: 3 },
  { name: 'e2e-batch-a', partitions: 2 },
  { name: 'e2e-batch-b', partitions: 3 },
  { name: 'e2e-tx', partitions: 1 },
  { name: 'e2e-retry', partitions: 1 },
  { name: 'e2e-foreign', partitions: 1 },
  { name: 'e2e-data-safety', partitions: 3 },
  { name: 'e2e-disable', partitions: 1 },
  { name: 'e2e-unsettled', partitions: 1 },
  // @confluentinc/kafka-javascript (test/confluent-*.test.ts)
  { name: 'e2e-confluent', partitions: 2 },
  { name: 'e2e-confluent-batch-a', partitions: 2 },
  { name: 'e2e-confluent-batch-b', partitions: 1 },
  { name: 'e2e-confluent-tx', partitions: 1 },
  { name: 'e2e-confluent-retry', partitions: 1 },
  { name: 'e2e-confluent-foreign', partitions: 1 },
  { name: 'e2e-confluent-cross', partitions: 1 },
  { name: 'e2e-confluent-native', partitions: 1 },
] as const;

export interface E2eBrokers {
  rabbitmqUrl: string;
  kafkaBrokers: string;
  sqs: { fauxqs: string; 'local-aws-sqs': string; region: string };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run the e2e suite through 'pnpm --filter @org/e2e test', which starts the brokers`,
    );
  return value;
}

export function brokersFromEnv(): E2eBrokers {
  return {
    rabbitmqUrl: required('E2E_RABBITMQ_URL'),
    kafkaBrokers: required('E2E_KAFKA_BROKERS'),
    sqs: {
      fauxqs: required('E2E_FAUXQS_ENDPOINT'),
      'local-aws-sqs': required('E2E_LOCAL_AWS_SQS_ENDPOINT'),
      region: required('E2E_SQS_REGION'),
    },
  };
}
