// Module shape: what the patch does with a kafkajs it does not recognise.
import { KafkaJsInstrumentation } from './instrumentation';

describe('module shape', () => {
  it('leaves a kafkajs without the expected prototype alone', () => {
    const odd = { Kafka: function Kafka() {} };
    const [definition] = new KafkaJsInstrumentation({
      enabled: false,
    }).getModuleDefinitions();
    expect(definition?.patch?.(odd, '2.0.0')).toBe(odd);
    expect(definition?.patch?.({}, '2.0.0')).toEqual({});
  });
});

describe('config', () => {
  it('merges the defaults in once, at construction and at setConfig: a field given as undefined keeps its default', () => {
    const instrumentation = new KafkaJsInstrumentation({ enabled: false, captureBodySize: true });
    expect(instrumentation.getConfig()).toMatchObject({
      captureMessageKey: true,
      createSpansPerMessage: false,
      commitSpans: false,
      captureBodySize: true,
    });
    instrumentation.setConfig({ captureMessageKey: false, captureBodySize: undefined });
    expect(instrumentation.getConfig()).toMatchObject({ captureMessageKey: false, captureBodySize: false });
  });
});
