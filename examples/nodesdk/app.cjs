// A tiny order flow with no tracing code: an order goes onto a Kafka topic, its
// consumer accepts it and publishes an event to a RabbitMQ topic exchange, and a
// queue consumer picks the event up. Run it with the SDK from tracing.cjs:
//
//   node --require ./tracing.cjs app.cjs
//
// and the send, process, publish and process spans form one connected trace.
'use strict';

const { randomUUID } = require('node:crypto');
const { Kafka, logLevel } = require('kafkajs');
const amqplib = require('amqplib');

const kafkaBrokers = (process.env.KAFKA_BROKERS ?? 'localhost:9092').split(',');
const rabbitmqUrl = process.env.RABBITMQ_URL ?? 'amqp://demo:demo@localhost:5672';
const ordersTopic = process.env.KAFKA_TOPIC ?? 'orders';
const eventsExchange = 'shop.events';
const notificationsQueue = `order-notifications-${process.pid}`;

async function main() {
  const order = { orderId: `ord-${randomUUID().slice(0, 8)}`, customer: 'alice', item: 'espresso machine' };

  const connection = await amqplib.connect(rabbitmqUrl);
  const channel = await connection.createChannel();
  await channel.assertExchange(eventsExchange, 'topic', { durable: false });
  await channel.assertQueue(notificationsQueue, { exclusive: true });
  await channel.bindQueue(notificationsQueue, eventsExchange, 'order.*');
  const notified = new Promise((resolve) => {
    void channel.consume(notificationsQueue, (message) => {
      if (!message) return;
      channel.ack(message);
      const event = JSON.parse(message.content.toString());
      if (event.orderId === order.orderId) resolve(event);
    });
  });

  // maxWaitTimeInMs: a short fetch wait, so that disconnecting is quick.
  const kafka = new Kafka({ clientId: 'orders-example', brokers: kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: `inventory-example-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await Promise.all([producer.connect(), consumer.connect()]);
  try {
    await consumer.subscribe({ topic: ordersTopic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const placed = JSON.parse(message.value.toString());
        if (placed.orderId !== order.orderId) return; // the topic may hold earlier runs' orders
        const event = { orderId: placed.orderId, status: 'accepted' };
        channel.publish(eventsExchange, 'order.accepted', Buffer.from(JSON.stringify(event)), {
          contentType: 'application/json',
          messageId: placed.orderId,
        });
      },
    });

    await producer.send({ topic: ordersTopic, messages: [{ key: order.customer, value: JSON.stringify(order) }] });
    const event = await notified;
    console.log(
      `order ${event.orderId} went through Kafka (${ordersTopic}) and RabbitMQ (${eventsExchange}): ${event.status}`,
    );
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
    await channel.close();
    await connection.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
