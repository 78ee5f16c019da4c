// The inventory service: reserves stock for each order from Kafka and announces
// it on the `shop.events` RabbitMQ topic exchange.
'use strict';

const { Kafka, logLevel } = require('kafkajs');
const amqplib = require('amqplib');
const { kafkaBrokers, rabbitmqUrl, ordersTopic, eventsExchange, orders } = require('./config.cjs');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const connection = await amqplib.connect(rabbitmqUrl);
  const channel = await connection.createChannel();
  await channel.assertExchange(eventsExchange, 'topic', { durable: false });

  const kafka = new Kafka({ clientId: 'inventory-service', brokers: kafkaBrokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: 'inventory', maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic: ordersTopic, fromBeginning: true });

  let handled = 0;
  const allHandled = new Promise((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        const order = JSON.parse(message.value.toString());
        await sleep(15); // reserve stock
        channel.publish(eventsExchange, `order.reserved.${order.country}`, Buffer.from(JSON.stringify(order)), {
          contentType: 'application/json',
          messageId: order.id,
        });
        console.log(`[inventory-service] reserved ${order.id}`);
        if (++handled === orders.length) resolve();
      },
    });
  });
  console.log('READY');
  await allHandled;
  await consumer.disconnect();
  await channel.close();
  await connection.close();
}

main().catch((error) => {
  console.error('[inventory-service]', error);
  process.exitCode = 1;
});
