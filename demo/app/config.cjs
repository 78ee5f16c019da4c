// Where the brokers are and which orders to place: set by the demo runner
// (demo/src/run-demo.ts), which starts local brokers for you.
'use strict';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: start the demo with 'npm run demo'`);
  return value;
}

const orders = JSON.parse(required('DEMO_ORDERS'));

module.exports = {
  kafkaBrokers: required('DEMO_KAFKA_BROKERS').split(','),
  rabbitmqUrl: required('DEMO_RABBITMQ_URL'),
  /** SNS and SQS client options (one emulator serves both). */
  aws: {
    endpoint: required('DEMO_AWS_ENDPOINT'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
  },
  ordersTopic: 'orders',
  eventsExchange: 'shop.events',
  fulfilmentQueue: 'fulfilment',
  /** The SNS topic the fulfilment service announces ready orders on; it fans out to the jobs queue. */
  shippingTopicArn: required('DEMO_SHIPPING_TOPIC_ARN'),
  jobsQueueName: 'fulfilment-jobs',
  deadLetterQueueName: 'fulfilment-jobs-dlq',
  orders,
  /** The order whose shipping always fails: SQS redrives it to the dead-letter queue. */
  failingOrderId: required('DEMO_FAILING_ORDER'),
};
