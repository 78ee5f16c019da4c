import { InstrumentationBase } from '@opentelemetry/instrumentation';
import { enabledPlugins, getMessagingInstrumentations } from './instrumentations';
import { MESSAGING_PLUGIN_NAMES, PLUGIN_FACTORIES, PLUGIN_PACKAGES, toPluginName } from './plugins';

class FakeInstrumentation extends InstrumentationBase {
  constructor(readonly options: unknown) {
    super('fake', '0.0.0', { enabled: false });
  }
  protected init() {
    return [];
  }
}

describe('getMessagingInstrumentations', () => {
  const landed = { ...PLUGIN_FACTORIES };
  afterEach(() => {
    for (const name of MESSAGING_PLUGIN_NAMES) {
      if (landed[name]) PLUGIN_FACTORIES[name] = landed[name];
      else delete PLUGIN_FACTORIES[name];
    }
  });

  const removeAll = () => {
    for (const name of MESSAGING_PLUGIN_NAMES) delete PLUGIN_FACTORIES[name];
  };

  it('creates the landed plugins, disabled ones excepted', () => {
    const landedNames = MESSAGING_PLUGIN_NAMES.filter((name) => landed[name]);
    expect(landedNames).toContain('kafkajs');
    expect(landedNames).toContain('confluent-kafka');
    expect(getMessagingInstrumentations().map((i) => i.instrumentationName)).toEqual(
      landedNames.map((name) => PLUGIN_PACKAGES[name]),
    );
    const allDisabled = Object.fromEntries(landedNames.map((name) => [name, { enabled: false }]));
    expect(getMessagingInstrumentations(allDisabled)).toEqual([]);
  });

  it('starts cleanly with no plugin available', () => {
    removeAll();
    expect(getMessagingInstrumentations()).toEqual([]);
  });

  it('creates the available, enabled plugins with their options', () => {
    removeAll();
    PLUGIN_FACTORIES.kafkajs = (options) => new FakeInstrumentation(options);
    PLUGIN_FACTORIES.amqplib = (options) => new FakeInstrumentation(options);
    const created = getMessagingInstrumentations({
      amqplib: { enabled: false },
      kafkajs: { consumerContextPolicy: 'link' },
    });
    expect(created).toHaveLength(1);
    expect((created[0] as FakeInstrumentation).options).toEqual({ consumerContextPolicy: 'link' });
    expect(enabledPlugins({ amqplib: { enabled: false } })).toEqual(['kafkajs']);
  });

  it('leaves out a plugin whose constructor throws, keeping the others', () => {
    removeAll();
    PLUGIN_FACTORIES.kafkajs = () => {
      throw new Error('broken plugin');
    };
    PLUGIN_FACTORIES.amqplib = (options) => new FakeInstrumentation(options);
    expect(getMessagingInstrumentations()).toHaveLength(1);
  });
});

describe('toPluginName', () => {
  it.each([
    ['kafkajs', 'kafkajs'],
    [' AMQPLIB ', 'amqplib'],
    ['@org/instrumentation-aws-sqs', 'aws-sqs'],
    ['Confluent-Kafka', 'confluent-kafka'],
    ['@org/instrumentation-confluent-kafka', 'confluent-kafka'],
    ['http', undefined],
  ])('%p → %p', (text, name) => {
    expect(toPluginName(text)).toBe(name);
  });
});
