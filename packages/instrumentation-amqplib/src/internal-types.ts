// The parts of amqplib (0.10, 1.x, 2.x) this plugin touches, typed loosely: the
// plugin never imports amqplib at run time, and must cope when a shape changes.
import type { AmqpHeaders } from '@org/messaging-propagation';

export interface MessageFields {
  deliveryTag?: number;
  redelivered?: boolean;
  exchange?: string;
  routingKey?: string;
  consumerTag?: string;
  /** channel.get only: messages left in the queue. */
  messageCount?: number;
}

export interface MessageProperties {
  headers?: AmqpHeaders;
  messageId?: unknown;
  correlationId?: unknown;
  timestamp?: unknown;
  [property: string]: unknown;
}

/** A delivered message, as amqplib hands it to a consumer or resolves `get` with. */
export interface Message {
  content: Buffer;
  fields: MessageFields;
  properties: MessageProperties;
}

/** The `options` argument of publish / sendToQueue. */
export interface PublishOptions {
  headers?: AmqpHeaders;
  messageId?: unknown;
  correlationId?: unknown;
  [option: string]: unknown;
}

/** amqplib's low-level connection object (lib/connection.js), which every channel refers to. */
export type AmqpConnection = object;

/** Any amqplib channel: promise or callback API, plain or confirm. */
export interface AmqpChannel {
  connection?: AmqpConnection;
}

export type ConsumeCallback = (message: Message | null) => unknown;

/** The URL argument of `amqplib.connect`: a string, or an object with the parts. */
export interface AmqpUrlObject {
  protocol?: unknown;
  hostname?: unknown;
  port?: unknown;
}

export type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;
