import {
  InstrumentationNodeModuleDefinition,
  InstrumentationNodeModuleFile,
  isWrapped,
} from '@opentelemetry/instrumentation';
import {
  markOtelMqWrapper,
  MessagingInstrumentation,
  warnOtherInstrumentation,
  wrapperOwner,
} from '@org/messaging-propagation/internal';
import { patchToClosed } from './patches/channel-close';
import { patchConnect } from './patches/connect';
import { patchConsume } from './patches/consume';
import { patchCallbackGet, patchPromiseGet } from './patches/get';
import { patchConfirmPublish, patchPublish } from './patches/publish';
import { patchSettle, SETTLE_METHODS } from './patches/settle';
import { activateProcessMessageDeps, deactivateProcessMessageDeps } from './process-message';
import { AMQPLIB_CONFIG_DEFAULTS } from './telemetry/deps';
import type { AmqpTelemetryDeps, AmqplibConfigDefaults } from './telemetry/deps';
import type { AmqplibInstrumentationConfig } from './types';
import { PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_VERSIONS } from './version';

type Patchable = Record<string, unknown>;
type Wrapper = (original: never) => unknown;
/** A module file's exports: classes whose prototypes are patched, or functions. */
type FileExports = Record<string, { prototype?: Patchable } | undefined> | undefined;

/**
 * The amqplib files patched, the same in 0.10, 1.x and 2.x (amqplib 2 does not
 * export these paths, but require-in-the-middle sees them as amqplib requires them).
 */
export const PATCHED_FILES = Object.freeze({
  connect: 'amqplib/lib/connect.js',
  channel: 'amqplib/lib/channel.js',
  promiseApi: 'amqplib/lib/channel_model.js',
  callbackApi: 'amqplib/lib/callback_model.js',
});

/** The instrumentation that most likely wrapped amqplib before or after us. */
const UPSTREAM_INSTRUMENTATION = '@opentelemetry/instrumentation-amqplib';

/** Connected traces through RabbitMQ for amqplib publishers and consumers, promise and callback APIs. */
export class AmqplibInstrumentation extends MessagingInstrumentation<
  AmqplibInstrumentationConfig,
  AmqplibConfigDefaults
> {
  constructor(config: AmqplibInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  protected override get configDefaults(): AmqplibConfigDefaults {
    return AMQPLIB_CONFIG_DEFAULTS;
  }

  private get deps(): AmqpTelemetryDeps {
    return this.telemetry;
  }

  protected override onEnable(): void {
    activateProcessMessageDeps(this.deps);
  }

  protected override onDisable(): void {
    deactivateProcessMessageDeps(this.deps);
  }

  protected init() {
    const file = (name: string, patch: (exports: FileExports) => void, unpatch: (exports: FileExports) => void) =>
      new InstrumentationNodeModuleFile(
        name,
        SUPPORTED_VERSIONS,
        (exports: FileExports) => {
          try {
            patch(exports);
          } catch (error) {
            this._diag.error(`otel-mq: could not patch ${name}; it stays uninstrumented`, error);
          }
          return exports;
        },
        (exports: FileExports) => unpatch(exports),
      );
    return new InstrumentationNodeModuleDefinition('amqplib', SUPPORTED_VERSIONS, undefined, undefined, [
      file(
        PATCHED_FILES.connect,
        (exports) => this.wrapMethod(exports, 'connect', patchConnect(this.deps)),
        (exports) => this.unwrapMethods(exports, ['connect']),
      ),
      file(
        PATCHED_FILES.channel,
        (exports) => this.wrapMethod(exports?.['Channel']?.prototype, 'toClosed', patchToClosed(this.deps)),
        (exports) => this.unwrapMethods(exports?.['Channel']?.prototype, ['toClosed']),
      ),
      file(
        PATCHED_FILES.promiseApi,
        (exports) => this.patchChannelClasses(exports, 'promise'),
        (exports) => this.unpatchChannelClasses(exports),
      ),
      file(
        PATCHED_FILES.callbackApi,
        (exports) => this.patchChannelClasses(exports, 'callback'),
        (exports) => this.unpatchChannelClasses(exports),
      ),
    ]);
  }

  private patchChannelClasses(exports: FileExports, api: 'promise' | 'callback'): void {
    const channel = exports?.['Channel']?.prototype;
    const confirmChannel = exports?.['ConfirmChannel']?.prototype;
    if (!channel || typeof channel['publish'] !== 'function' || typeof channel['consume'] !== 'function') {
      this._diag.warn(`otel-mq: amqplib's ${api} API has an unexpected shape; it is left uninstrumented`);
      return;
    }
    // Another instrumentation (upstream's) already traces this class's publish or
    // consume: it is left the whole class, so one library's spans come from one
    // instrumentation (upstream records no `get`; ours would have added it).
    if (wrapperOwner(channel['publish']) === 'other' || wrapperOwner(channel['consume']) === 'other') {
      this.warnOtherInstrumentation(`leaves amqplib's ${api} API, which the other one already wrapped, to it`);
      return;
    }
    this.wrapMethod(channel, 'publish', patchPublish(this.deps));
    this.wrapMethod(channel, 'consume', patchConsume(this.deps));
    this.wrapMethod(channel, 'get', api === 'promise' ? patchPromiseGet(this.deps) : patchCallbackGet(this.deps));
    for (const [name, describe] of Object.entries(SETTLE_METHODS)) {
      this.wrapMethod(channel, name, patchSettle(this.deps, describe));
    }
    if (confirmChannel && Object.prototype.hasOwnProperty.call(confirmChannel, 'publish')) {
      this.wrapMethod(confirmChannel, 'publish', patchConfirmPublish(this.deps));
    }
    // Upstream @opentelemetry/instrumentation-amqplib (0.71) skips every method
    // already wrapped, so enabled after us it only adds its own `emit` wrapper:
    // nothing is recorded twice, but the user should know both are loaded.
    queueMicrotask(() => {
      if (wrapperOwner(channel['emit']) === 'other') {
        this.warnOtherInstrumentation('stays in charge (the other one finds its methods taken and skips them)');
      }
    });
  }

  private unpatchChannelClasses(exports: FileExports): void {
    this.unwrapMethods(exports?.['ConfirmChannel']?.prototype, ['publish']);
    this.unwrapMethods(exports?.['Channel']?.prototype, ['publish', 'consume', 'get', ...Object.keys(SETTLE_METHODS)]);
  }

  private wrapMethod(target: Patchable | undefined, name: string, wrapper: Wrapper): void {
    if (!target || typeof target[name] !== 'function') {
      this._diag.debug(`otel-mq: amqplib has no ${name} to instrument here`);
      return;
    }
    // Another instrumentation (upstream's) got here first: wrapping over it would
    // record the operation twice and inject two contexts.
    if (wrapperOwner(target[name]) === 'other') {
      this.warnOtherInstrumentation(`leaves what it already wrapped (${name}, …) to it`);
      return;
    }
    if (isWrapped(target[name])) return;
    this._wrap(target, name, wrapper as never);
    markOtelMqWrapper(target[name]);
  }

  private warnOtherInstrumentation(outcome: string): void {
    warnOtherInstrumentation(this._diag, {
      plugin: PACKAGE_NAME,
      pluginShortName: 'amqplib',
      library: 'amqplib',
      other: UPSTREAM_INSTRUMENTATION,
      outcome,
    });
  }

  private unwrapMethods(target: Patchable | undefined, names: string[]): void {
    if (!target) return;
    for (const name of names) {
      // Only ConfirmChannel's own publish was wrapped, never the one it inherits.
      if (Object.prototype.hasOwnProperty.call(target, name) && isWrapped(target[name])) this._unwrap(target, name);
    }
  }
}
