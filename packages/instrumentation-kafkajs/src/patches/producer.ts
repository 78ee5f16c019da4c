// Wraps the objects kafkajs' `kafka.producer()` returns: send, sendBatch, and the
// same on transactions. Each wrapper calls the original once with its own `this`.
import { whileEnabled } from '@org/messaging-propagation/internal';
import type { ClientFacts, Producer, ProducerBatch, ProducerRecord, Sender } from '../internal-types';
import { traceKafkaSend } from '@org/messaging-propagation/internal';
import type { KafkaTelemetryDeps } from '../telemetry/deps';
import { clientFacts } from './client';

function wrapSender(deps: KafkaTelemetryDeps, client: ClientFacts, sender: Sender): void {
  const send = sender.send;
  const sendBatch = sender.sendBatch;
  if (typeof send === 'function') {
    sender.send = whileEnabled(deps, send, function (this: unknown, record: ProducerRecord) {
      if (!record || typeof record.topic !== 'string' || !Array.isArray(record.messages))
        return send.call(this, record);
      return traceKafkaSend(deps, client, [{ topic: record.topic, messages: record.messages }], ([injected]) =>
        send.call(this, { ...record, messages: injected?.messages ?? record.messages }),
      );
    });
  }
  if (typeof sendBatch === 'function') {
    sender.sendBatch = whileEnabled(deps, sendBatch, function (this: unknown, batch: ProducerBatch) {
      const topicMessages = batch?.topicMessages;
      if (!Array.isArray(topicMessages)) return sendBatch.call(this, batch);
      return traceKafkaSend(deps, client, topicMessages, (injected) =>
        sendBatch.call(this, { ...batch, topicMessages: injected }),
      );
    });
  }
}

/** Wrapper for `Kafka.prototype.producer`. */
export function patchProducerFactory(deps: KafkaTelemetryDeps) {
  return (original: (this: object, ...args: unknown[]) => Producer) =>
    whileEnabled(deps, original, function producer(this: object, ...args: unknown[]): Producer {
      const created = original.apply(this, args);
      try {
        const client = clientFacts(this);
        wrapSender(deps, client, created);
        const transaction = created.transaction;
        if (typeof transaction === 'function') {
          created.transaction = whileEnabled(deps, transaction, async function (this: unknown) {
            const opened = await transaction.call(this);
            try {
              wrapSender(deps, client, opened);
            } catch (error) {
              deps.diag.error('otel-mq: could not instrument a kafkajs transaction', error);
            }
            return opened;
          });
        }
      } catch (error) {
        deps.diag.error('otel-mq: could not instrument a kafkajs producer', error);
      }
      return created;
    });
}
