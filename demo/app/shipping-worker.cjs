// The shipping worker: consumes `fulfilment-jobs` (the SQS queue subscribed to
// the `ready-to-ship` SNS topic) with sqs-consumer and ships each order. One address is always rejected, so SQS redrives that job to the
// dead-letter queue after two attempts, where a second consumer logs it for a human.
//
// No otel-mq call: the register entry instruments sqs-consumer, so each
// handleMessage runs in its own span in the order's trace (the context comes
// from inside the SNS envelope), and the deletes sqs-consumer makes afterwards
// are parented inside it.
'use strict';

const { SQSClient, GetQueueUrlCommand } = require('@aws-sdk/client-sqs');
const { Consumer } = require('sqs-consumer');
const { aws, jobsQueueName, deadLetterQueueName, orders, failingOrderId } = require('./config.cjs');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** SNS delivers each notification as a JSON envelope; the job is its `Message`. */
const jobOf = (message) => JSON.parse(JSON.parse(message.Body).Message);

async function ship(job) {
  await sleep(10);
  if (job.orderId === failingOrderId) throw new Error(`carrier rejected the address of ${job.orderId}`);
}

async function main() {
  const client = new SQSClient(aws);
  const queueUrl = async (name) => (await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  const [jobsUrl, deadLetterUrl] = [await queueUrl(jobsQueueName), await queueUrl(deadLetterQueueName)];

  const shipped = new Set();
  const deadLettered = new Set();
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  const settled = () => {
    if (shipped.size + deadLettered.size >= orders.length) finish();
  };
  const consume = (url, handleMessage) =>
    Consumer.create({
      queueUrl: url,
      sqs: client,
      batchSize: 10,
      waitTimeSeconds: 1,
      pollingWaitTimeMs: 0,
      // A failed job becomes visible again after 1 s (sqs-consumer's ChangeMessageVisibility), not the queue's timeout.
      terminateVisibilityTimeout: 1,
      handleMessage,
    });

  const jobs = consume(jobsUrl, async (message) => {
    const job = jobOf(message);
    await ship(job);
    shipped.add(job.orderId);
    console.log(`[shipping-worker] shipped ${job.orderId}`);
    return message;
  });
  jobs.on('processing_error', (error) => console.log(`[shipping-worker] will retry: ${error.message}`));
  jobs.on('message_processed', settled);
  const dead = consume(deadLetterUrl, async (message) => {
    const job = jobOf(message);
    console.log(`[shipping-worker] DEAD LETTER: ${job.orderId} needs a human`);
    deadLettered.add(job.orderId);
    return message;
  });
  dead.on('message_processed', settled);

  console.log('READY');
  jobs.start();
  dead.start();
  await finished;
  // sqs-consumer finishes its last poll (up to waitTimeSeconds) before it says it stopped.
  const stopped = [jobs, dead].map((consumer) => new Promise((resolve) => consumer.once('stopped', resolve)));
  jobs.stop();
  dead.stop();
  await Promise.all(stopped);
  client.destroy();
}

main().catch((error) => {
  console.error('[shipping-worker]', error);
  process.exitCode = 1;
});
