import { InstrumentationNodeModuleDefinition, isWrapped } from '@opentelemetry/instrumentation';
import {
  KAFKA_CONFIG_DEFAULTS,
  markOtelMqWrapper,
  MessagingInstrumentation,
} from '@org/messaging-propagation/internal';
import type { KafkaConfigDefaults, KafkaTelemetry } from '@org/messaging-propagation/internal';
import type { ConfluentKafkaModule } from './internal-types';
import { patchKafkaClass } from './patches/kafkajs-client';
import { patchConsumerFactory } from './patches/kafkajs-consumer';
import { patchProducerFactory } from './patches/kafkajs-producer';
import { patchCommit, patchConsume, patchConsumerEmit } from './patches/native-consumer';
import { patchProduce, patchProducerEmit } from './patches/native-producer';
import type { ConfluentKafkaInstrumentationConfig } from './types';
import { PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_VERSIONS } from './version';

const FACTORIES = ['producer', 'consumer'] as const;

/** Connected traces through Kafka for `@confluentinc/kafka-javascript`. */
export class ConfluentKafkaInstrumentation extends MessagingInstrumentation<
  ConfluentKafkaInstrumentationConfig,
  KafkaConfigDefaults
> {
  constructor(config: ConfluentKafkaInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  protected override get configDefaults(): KafkaConfigDefaults {
    return KAFKA_CONFIG_DEFAULTS;
  }

  protected override get pluginLabel(): string {
    return 'confluent-kafka';
  }

  private get deps(): KafkaTelemetry {
    return this.telemetry;
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition(
      '@confluentinc/kafka-javascript',
      SUPPORTED_VERSIONS,
      (moduleExports: ConfluentKafkaModule) => this.patch(moduleExports),
      (moduleExports: ConfluentKafkaModule) => this.unpatch(moduleExports),
    );
  }

  private patch(moduleExports: ConfluentKafkaModule): ConfluentKafkaModule {
    this.patchKafkaJsApi(moduleExports);
    this.patchNativeApi(moduleExports);
    return moduleExports;
  }

  /**
   * The native API's prototypes: `Producer` (the HighLevelProducer's produce calls
   * `Producer.prototype.produce`) and `KafkaConsumer`. Under ESM the classes are
   * reached through `default` (the CommonJS exports spread them, which named
   * imports cannot see).
   */
  private patchNativeApi(moduleExports: ConfluentKafkaModule): void {
    const native = (name: 'Producer' | 'KafkaConsumer') =>
      moduleExports?.[name]?.prototype ??
      moduleExports?.RdKafka?.[name]?.prototype ??
      moduleExports?.default?.[name]?.prototype ??
      moduleExports?.default?.RdKafka?.[name]?.prototype;
    const producer = native('Producer');
    if (producer && typeof producer['produce'] === 'function' && typeof producer['emit'] === 'function') {
      if (!isWrapped(producer['produce'])) this._wrap(producer, 'produce', patchProduce(this.deps) as never);
      if (!isWrapped(producer['emit'])) this._wrap(producer, 'emit', patchProducerEmit(this.deps) as never);
    } else {
      this._diag.warn(
        '@confluentinc/kafka-javascript has no Producer of the expected shape; its produce is left uninstrumented',
      );
    }
    const consumer = native('KafkaConsumer');
    if (consumer && typeof consumer['consume'] === 'function' && typeof consumer['emit'] === 'function') {
      if (!isWrapped(consumer['emit'])) this._wrap(consumer, 'emit', patchConsumerEmit(this.deps) as never);
      if (!isWrapped(consumer['consume'])) this._wrap(consumer, 'consume', patchConsume(this.deps) as never);
      for (const [name, message] of [
        ['commit', false],
        ['commitMessage', true],
      ] as const) {
        if (typeof consumer[name] === 'function' && !isWrapped(consumer[name])) {
          this._wrap(consumer, name, patchCommit(this.deps, message) as never);
        }
      }
    } else {
      this._diag.warn(
        '@confluentinc/kafka-javascript has no KafkaConsumer of the expected shape; it is left uninstrumented',
      );
    }
  }

  /** `KafkaJS.Kafka`: the same object under `require` and `import` (its `default` is the CommonJS exports). */
  private patchKafkaJsApi(moduleExports: ConfluentKafkaModule): void {
    const kafkaJs = moduleExports?.KafkaJS ?? moduleExports?.default?.KafkaJS;
    const prototype = kafkaJs?.Kafka?.prototype;
    if (!kafkaJs || !prototype || FACTORIES.some((name) => typeof prototype[name] !== 'function')) {
      this._diag.warn(
        '@confluentinc/kafka-javascript has no KafkaJS.Kafka of the expected shape; its KafkaJS API is left uninstrumented',
      );
      return;
    }
    if (!isWrapped(prototype['producer'])) this._wrap(prototype, 'producer', patchProducerFactory(this.deps) as never);
    if (!isWrapped(prototype['consumer'])) this._wrap(prototype, 'consumer', patchConsumerFactory(this.deps) as never);
    for (const name of FACTORIES) markOtelMqWrapper(prototype[name]);
    if (!isWrapped(kafkaJs.Kafka)) this._wrap(kafkaJs, 'Kafka', patchKafkaClass as never);
  }

  private unpatch(moduleExports: ConfluentKafkaModule): void {
    const native = (name: 'Producer' | 'KafkaConsumer') =>
      moduleExports?.[name]?.prototype ?? moduleExports?.default?.[name]?.prototype;
    for (const [prototype, names] of [
      [native('Producer'), ['produce', 'emit']],
      [native('KafkaConsumer'), ['emit', 'consume', 'commit', 'commitMessage']],
    ] as const) {
      for (const name of names) if (prototype && isWrapped(prototype[name])) this._unwrap(prototype, name);
    }
    const kafkaJs = moduleExports?.KafkaJS ?? moduleExports?.default?.KafkaJS;
    if (kafkaJs && isWrapped(kafkaJs.Kafka)) this._unwrap(kafkaJs, 'Kafka');
    const prototype = kafkaJs?.Kafka?.prototype;
    if (!prototype) return;
    for (const name of FACTORIES) if (isWrapped(prototype[name])) this._unwrap(prototype, name);
  }
}
