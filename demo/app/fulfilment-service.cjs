// The fulfilment service: announces every reserved order from RabbitMQ on the
// `ready-to-ship` SNS topic, which fans out to the shipping worker's SQS queue.
'use strict';

const amqplib = require('amqplib');
const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');
const { rabbitmqUrl, eventsExchange, fulfilmentQueue, shippingTopicArn, aws, orders } = require('./config.cjs');

async function main() {
  const client = new SNSClient(aws);

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
          new PublishCommand({
            TopicArn: shippingTopicArn,
            Message: JSON.stringify({ orderId: order.id, address: order.address }),
            MessageAttributes: { orderId: { DataType: 'String', StringValue: order.id } },
          }),
        );
        channel.ack(delivery);
        console.log(`[fulfilment-service] ${order.id} ready to ship`);
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
