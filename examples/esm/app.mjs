// An ES module application with no tracing code: it publishes a shipment event to
// a RabbitMQ topic exchange and consumes it from a queue. Start it with the
// register entry, which also installs the ESM loader hook that patches `import`ed
// client libraries:
//
//   node --import @org/otel-mq/register app.mjs
//
// and the publish and process spans form one connected trace.
import { randomUUID } from 'node:crypto';
import amqplib from 'amqplib';

const rabbitmqUrl = process.env.RABBITMQ_URL ?? 'amqp://demo:demo@localhost:5672';
const eventsExchange = 'shop.events';
const shippingQueue = `shipping-${process.pid}`;

const connection = await amqplib.connect(rabbitmqUrl);
try {
  const channel = await connection.createChannel();
  await channel.assertExchange(eventsExchange, 'topic', { durable: false });
  await channel.assertQueue(shippingQueue, { exclusive: true });
  await channel.bindQueue(shippingQueue, eventsExchange, 'order.shipped');

  const shipment = { orderId: `ord-${randomUUID().slice(0, 8)}`, carrier: 'parcel-co' };
  const received = new Promise((resolve) => {
    void channel.consume(shippingQueue, (message) => {
      if (!message) return;
      channel.ack(message);
      resolve(JSON.parse(message.content.toString()));
    });
  });
  channel.publish(eventsExchange, 'order.shipped', Buffer.from(JSON.stringify(shipment)), {
    contentType: 'application/json',
    messageId: shipment.orderId,
  });
  const event = await received;
  console.log(`order ${event.orderId} shipped with ${event.carrier} (RabbitMQ ${eventsExchange})`);
  await channel.close();
} finally {
  await connection.close();
}
