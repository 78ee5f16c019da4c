// The order API: each placed order goes to the `orders` Kafka topic.
'use strict';

const { Kafka, logLevel } = require('kafkajs');
const { kafkaBrokers, orders, ordersTopic } = require('./config.cjs');

async function main() {
  const kafka = new Kafka({ clientId: 'order-api', brokers: kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  for (const order of orders) {
    await producer.send({ topic: ordersTopic, messages: [{ key: order.customer, value: JSON.stringify(order) }] });
    console.log(`[order-api] placed ${order.id} (${order.item} for ${order.customer})`);
  }
  await producer.disconnect();
}

main().catch((error) => {
  console.error('[order-api]', error);
  process.exitCode = 1;
});
