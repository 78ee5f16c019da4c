// The inventory service: reserves stock for each order from Kafka and announces
// it on the `shop.events` RabbitMQ topic exchange. It consumes with Confluent's
// client (@confluentinc/kafka-javascript, its KafkaJS-compatible API) while the
// order API produces with kafkajs: the register entry instruments both, so each
// order's trace runs from one client to the other with no otel-mq call here.
'use strict';

const { KafkaJS } = require('@confluentinc/kafka-javascript');
const amqplib = require('amqplib');
const { kafkaBrokers, rabbitmqUrl, ordersTopic, eventsExchange, orders } = require('./config.cjs');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const connection = await amqplib.connect(rabbitmqUrl);
  const channel = await connection.createChannel();
  await channel.assertExchange(eventsExchange, 'topic', { durable: false });

  const kafka = new KafkaJS.Kafka({
    kafkaJS: { clientId: 'inventory-service', brokers: kafkaBrokers, logLevel: KafkaJS.logLevel.NOTHING },
  });
  const consumer = kafka.consumer({ kafkaJS: { groupId: 'inventory', fromBeginning: true, maxWaitTimeInMs: 100 } });
  await consumer.connect();
  await consumer.subscribe({ topics: [ordersTopic] });

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
