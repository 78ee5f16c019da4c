// Wraps the producers `kafka.producer()` returns (KafkaJS API): send and
// sendBatch, which a transaction shares (`transaction()` resolves with the
// producer itself). Each wrapper calls the original once with its own `this`.
import { traceKafkaSend, whileEnabled } from '@org/messaging-propagation/internal';
import type { KafkaClientFacts, KafkaTelemetry } from '@org/messaging-propagation/internal';
import type { KafkaJsProducer, KafkaJsProducerBatch, KafkaJsProducerRecord } from '../internal-types';
import { kafkaJsClientFacts } from './kafkajs-client';
import { whileKafkaJsSends } from './kafkajs-sending';

const wrappedSenders = new WeakSet<object>();
/**
 * Producers inside their own sendBatch: 1.x's sendBatch (lib/kafkajs/_producer.js)
 * calls `this.send` once per topic, synchronously, and those calls are already
 * covered by the sendBatch's spans.
 */
const inSendBatch = new WeakSet<object>();

function wrapSender(deps: KafkaTelemetry, client: KafkaClientFacts, sender: KafkaJsProducer): void {
  if (wrappedSenders.has(sender)) return;
  wrappedSenders.add(sender);
  const send = sender.send;
  const sendBatch = sender.sendBatch;
  if (typeof send === 'function') {
    sender.send = whileEnabled(deps, send, function (this: KafkaJsProducer, record: KafkaJsProducerRecord) {
      if (inSendBatch.has(this) || !record || typeof record.topic !== 'string' || !Array.isArray(record.messages)) {
        return send.call(this, record);
      }
      return traceKafkaSend(deps, client, [{ topic: record.topic, messages: record.messages }], ([injected]) =>
        whileKafkaJsSends(() => send.call(this, { ...record, messages: injected?.messages ?? record.messages })),
      );
    });
  }
  if (typeof sendBatch === 'function') {
    sender.sendBatch = whileEnabled(deps, sendBatch, function (this: KafkaJsProducer, batch: KafkaJsProducerBatch) {
      const topicMessages = batch?.topicMessages;
      if (!Array.isArray(topicMessages)) return sendBatch.call(this, batch);
      return traceKafkaSend(deps, client, topicMessages, (injected) => {
        inSendBatch.add(this);
        try {
          return whileKafkaJsSends(() => sendBatch.call(this, { ...batch, topicMessages: injected }));
        } finally {
          inSendBatch.delete(this);
        }
      });
    });
  }
}

/** Wrapper for `KafkaJS.Kafka.prototype.producer`. */
export function patchProducerFactory(deps: KafkaTelemetry) {
  return (original: (this: object, ...args: unknown[]) => KafkaJsProducer) =>
    whileEnabled(deps, original, function producer(this: object, ...args: unknown[]): KafkaJsProducer {
      const created = original.apply(this, args);
      try {
        const client = kafkaJsClientFacts(this, args[0]);
        wrapSender(deps, client, created);
        const transaction = created.transaction;
        if (typeof transaction === 'function') {
          created.transaction = whileEnabled(deps, transaction, async function (this: unknown) {
            const opened = await transaction.call(this);
            try {
              // 1.x resolves with the producer itself (already wrapped); another shape gets its own wrappers.
              if (opened && typeof opened === 'object') wrapSender(deps, client, opened);
            } catch (error) {
              deps.diag.error('otel-mq: could not instrument a confluent-kafka transaction', error);
            }
            return opened;
          });
        }
      } catch (error) {
        deps.diag.error('otel-mq: could not instrument a confluent-kafka producer', error);
      }
      return created;
    });
}
