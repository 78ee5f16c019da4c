import { InstrumentationNodeModuleDefinition, isWrapped } from '@opentelemetry/instrumentation';
import {
  KAFKA_CONFIG_DEFAULTS,
  markOtelMqWrapper,
  MessagingInstrumentation,
  warnOtherInstrumentation,
  wrapperOwner,
} from '@org/messaging-propagation/internal';
import { patchKafkaClass } from './patches/client';
import { patchConsumerFactory } from './patches/consumer';
import { patchProducerFactory } from './patches/producer';
import type { KafkaConfigDefaults } from '@org/messaging-propagation/internal';
import type { KafkaTelemetryDeps } from './telemetry/deps';
import type { KafkaJsInstrumentationConfig } from './types';
import { PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_VERSIONS } from './version';

/** The instrumentation that most likely wrapped kafkajs before or after us. */
const UPSTREAM_INSTRUMENTATION = '@opentelemetry/instrumentation-kafkajs';
const FACTORIES = ['producer', 'consumer'] as const;

interface KafkaJsModule {
  Kafka: (new (config: never) => object) & { prototype: Record<string, unknown> };
  /** Under ESM (import-in-the-middle) the CommonJS exports object, used by `import kafkajs from 'kafkajs'`. */
  default?: KafkaJsModule;
}

/** Connected traces through Kafka for kafkajs producers and consumers. */
export class KafkaJsInstrumentation extends MessagingInstrumentation<
  KafkaJsInstrumentationConfig,
  KafkaConfigDefaults
> {
  constructor(config: KafkaJsInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  protected override get configDefaults(): KafkaConfigDefaults {
    return KAFKA_CONFIG_DEFAULTS;
  }

  protected override get pluginLabel(): string {
    return 'kafkajs';
  }

  private get deps(): KafkaTelemetryDeps {
    return this.telemetry;
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition(
      'kafkajs',
      SUPPORTED_VERSIONS,
      (moduleExports: KafkaJsModule) => this.patch(moduleExports),
      (moduleExports: KafkaJsModule) => this.unpatch(moduleExports),
    );
  }

  private patch(moduleExports: KafkaJsModule): KafkaJsModule {
    const prototype = moduleExports?.Kafka?.prototype;
    if (!prototype || typeof prototype['producer'] !== 'function' || typeof prototype['consumer'] !== 'function') {
      this._diag.warn('kafkajs has an unexpected shape; it is left uninstrumented');
      return moduleExports;
    }
    // Another instrumentation (upstream's) got here first: wrapping over it would
    // give every message two send spans and two injected contexts.
    if (FACTORIES.some((name) => wrapperOwner(prototype[name]) === 'other')) {
      this.warnOtherInstrumentation('leaves kafkajs to it');
      return moduleExports;
    }
    if (!isWrapped(prototype['producer'])) this._wrap(prototype, 'producer', patchProducerFactory(this.deps) as never);
    if (!isWrapped(prototype['consumer'])) this._wrap(prototype, 'consumer', patchConsumerFactory(this.deps) as never);
    for (const name of FACTORIES) markOtelMqWrapper(prototype[name]);
    // Upstream @opentelemetry/instrumentation-kafkajs (0.33) unwraps whatever wraps
    // Kafka.prototype.producer/consumer before wrapping them itself; when it is
    // enabled after us, its hook runs right after this one, in the same require,
    // and finds our `Kafka` subclass (below): it unwraps ours on the base prototype
    // and puts its own on the subclass's.
    queueMicrotask(() => {
      const current = moduleExports.Kafka?.prototype;
      const replaced = (name: (typeof FACTORIES)[number]) =>
        wrapperOwner(prototype[name]) !== 'otel-mq' || wrapperOwner(current?.[name]) === 'other';
      if (FACTORIES.some(replaced)) {
        this.warnOtherInstrumentation('was replaced by it on Kafka.prototype.producer/consumer and records nothing');
      }
    });
    if (!isWrapped(moduleExports.Kafka)) this._wrap(moduleExports, 'Kafka', patchKafkaClass as never);
    const commonJsExports = moduleExports.default;
    if (commonJsExports && commonJsExports !== moduleExports && typeof commonJsExports.Kafka === 'function') {
      if (!isWrapped(commonJsExports.Kafka)) this._wrap(commonJsExports, 'Kafka', patchKafkaClass as never);
    }
    return moduleExports;
  }

  private warnOtherInstrumentation(outcome: string): void {
    warnOtherInstrumentation(this._diag, {
      plugin: PACKAGE_NAME,
      pluginShortName: 'kafkajs',
      library: 'kafkajs',
      other: UPSTREAM_INSTRUMENTATION,
      outcome,
    });
  }

  private unpatch(moduleExports: KafkaJsModule): void {
    const commonJsExports = moduleExports?.default;
    if (commonJsExports && isWrapped(commonJsExports.Kafka)) this._unwrap(commonJsExports, 'Kafka');
    if (isWrapped(moduleExports?.Kafka)) this._unwrap(moduleExports, 'Kafka');
    const prototype = moduleExports?.Kafka?.prototype;
    if (!prototype) return;
    if (isWrapped(prototype['producer'])) this._unwrap(prototype, 'producer');
    if (isWrapped(prototype['consumer'])) this._unwrap(prototype, 'consumer');
  }
}
