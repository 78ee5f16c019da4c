// The fulfilment service: turns every reserved order from RabbitMQ into a
// shipping job on the `fulfilment-jobs` SQS queue.
'use strict';

const amqplib = require('amqplib');
const { SQSClient, GetQueueUrlCommand, SendMessageCommand } = require('@aws-sdk/client-sqs');
const { rabbitmqUrl, eventsExchange, fulfilmentQueue, jobsQueueName, sqs, orders } = require('./config.cjs');

async function main() {
  const client = new SQSClient(sqs);
  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: jobsQueueName }));

  const connection = await amqplib.connect(rabbitmqUrl);
  const channel = await connection.createChannel();
  await channel.assertExchange(eventsExchange, 'topic', { durable: false });
  await channel.assertQueue(fulfilmentQueue, { durable: false });
  await channel.bindQueue(fulfilmentQueue, eventsExchange, 'order.reserved.*');

  let handled = 0;
  const allHandled = new Promise((resolve, reject) => {
    void channel.consume(fulfilmentQueue, async (delivery) => {
      if (!delivery) return;
      try {
        const order = JSON.parse(delivery.content.toString());
        await client.send(
          new SendMessageCommand({
            QueueUrl,
            MessageBody: JSON.stringify({ orderId: order.id, address: order.address }),
            MessageAttributes: { orderId: { DataType: 'String', StringValue: order.id } },
          }),
        );
        channel.ack(delivery);
        console.log(`[fulfilment-service] queued shipping for ${order.id}`);
        if (++handled === orders.length) resolve();
      } catch (error) {
        reject(error);
      }
    });
  });
  console.log('READY');
  await allHandled;
  await channel.close();
  await connection.close();
  client.destroy();
}

main().catch((error) => {
  console.error('[fulfilment-service]', error);
  process.exitCode = 1;
});
