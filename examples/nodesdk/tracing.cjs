// Programmatic registration: your own NodeSDK, with the otel-mq plugins in its
// instrumentation list. Load it before the application so the client libraries
// are patched when they are first required:
//
//   node --require ./tracing.cjs app.cjs
//
// Exporter, service name, sampler and propagators still come from the standard
// OTEL_* variables (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME, ...), which
// the NodeSDK reads itself.
'use strict';

const { NodeSDK } = require('@opentelemetry/sdk-node');
const { getMessagingInstrumentations } = require('@org/otel-mq');
const { AmqplibInstrumentation } = require('@org/instrumentation-amqplib');

const sdk = new NodeSDK({
  instrumentations: [
    // Every otel-mq plugin with its options; amqplib is switched off here only
    // because it is configured below as a plugin class, the other way to do it.
    getMessagingInstrumentations({
      // Kafka keys are often customer ids: keep them out of the spans.
      kafkajs: { captureMessageKey: false, consumerContextPolicy: 'parent' },
      amqplib: { enabled: false },
    }),
    // A plugin class takes every option of its README, hooks included.
    new AmqplibInstrumentation({
      captureBodySize: true,
      publishHook: (span, { routingKey }) => span.setAttribute('app.event.type', routingKey),
    }),
  ],
});
sdk.start();

// Flush buffered spans before the process ends. The NodeSDK does not do this by
// itself: when the event loop runs dry (`beforeExit`), and on SIGTERM/SIGINT.
let stopping;
function shutdown() {
  stopping ??= sdk.shutdown().catch((error) => console.error('tracing: shutdown failed', error));
  return stopping;
}
process.once('beforeExit', () => void shutdown());
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    void shutdown().finally(() => process.kill(process.pid, signal));
  });
}
