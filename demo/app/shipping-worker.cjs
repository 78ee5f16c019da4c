// The shipping worker: polls `fulfilment-jobs` and ships each order. One
// address is always rejected, so SQS redrives that job to the dead-letter
// queue after two attempts, where the worker logs it for a human.
//
// The one otel-mq call: `processSqsMessage(message, work)` gives each message's
// work its own span in the order's trace (SQS has no callback to hook into).
'use strict';

const { SQSClient, GetQueueUrlCommand, ReceiveMessageCommand, DeleteMessageCommand } = require('@aws-sdk/client-sqs');
const { processSqsMessage } = require('@org/instrumentation-aws-sqs');
const { sqs, jobsQueueName, deadLetterQueueName, orders, failingOrderId } = require('./config.cjs');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function ship(job) {
  await sleep(10);
  if (job.orderId === failingOrderId) throw new Error(`carrier rejected the address of ${job.orderId}`);
}

async function main() {
  const client = new SQSClient(sqs);
  const queueUrl = async (name) => (await client.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  const [jobsUrl, deadLetterUrl] = [await queueUrl(jobsQueueName), await queueUrl(deadLetterQueueName)];
  const receive = (QueueUrl) =>
    client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));

  const shipped = new Set();
  const deadLettered = new Set();
  console.log('READY');
  while (shipped.size + deadLettered.size < orders.length) {
    const { Messages: jobs = [] } = await receive(jobsUrl);
    for (const message of jobs) {
      await processSqsMessage(message, async () => {
        const job = JSON.parse(message.Body);
        await ship(job);
        await client.send(new DeleteMessageCommand({ QueueUrl: jobsUrl, ReceiptHandle: message.ReceiptHandle }));
        shipped.add(job.orderId);
        console.log(`[shipping-worker] shipped ${job.orderId}`);
      }).catch((error) => console.log(`[shipping-worker] will retry: ${error.message}`));
    }
    const { Messages: dead = [] } = await receive(deadLetterUrl);
    for (const message of dead) {
      await processSqsMessage(message, async () => {
        const job = JSON.parse(message.Body);
        console.log(`[shipping-worker] DEAD LETTER: ${job.orderId} needs a human`);
        await client.send(new DeleteMessageCommand({ QueueUrl: deadLetterUrl, ReceiptHandle: message.ReceiptHandle }));
        deadLettered.add(job.orderId);
      });
    }
  }
  client.destroy();
}

main().catch((error) => {
  console.error('[shipping-worker]', error);
  process.exitCode = 1;
});
