// processMessage with no AmqplibInstrumentation created: the global tracer and
// meter, looked up when used. (No harness here: it would create one.)
import { metrics } from '@opentelemetry/api';
import type { Meter } from '@opentelemetry/api';
import { METRIC_MESSAGING_PROCESS_DURATION } from '@org/messaging-propagation';
import { processMessage } from './process-message';

const message = {
  content: Buffer.from('job'),
  fields: { deliveryTag: 1, redelivered: false, exchange: '', routingKey: 'jobs' },
  properties: { headers: {} },
};

/** A meter that records the names of the instruments used. */
function recordingMeter(recorded: string[]): Meter {
  const instrument = (name: string) => ({ record: () => recorded.push(name), add: () => recorded.push(name) });
  const observable = () => ({ addCallback: () => undefined });
  return {
    createHistogram: instrument,
    createCounter: instrument,
    createObservableGauge: observable,
  } as unknown as Meter;
}

afterEach(() => metrics.disable());

it('records to the MeterProvider the SDK registers after processMessage was first used', () => {
  expect(processMessage(message, () => 'before the SDK')).toBe('before the SDK');
  const recorded: string[] = [];
  metrics.setGlobalMeterProvider({ getMeter: () => recordingMeter(recorded) });
  processMessage(message, () => 'after');
  expect(recorded).toContain(METRIC_MESSAGING_PROCESS_DURATION);
});
