import { InstrumentationBase, InstrumentationNodeModuleDefinition, isWrapped } from '@opentelemetry/instrumentation';
import {
  getMessagingMetrics,
  markOtelMqWrapper,
  warnOtherInstrumentation,
  wrapperOwner,
} from '@org/messaging-propagation';
import type { MessagingMetrics } from '@org/messaging-propagation';
import { installExitSweep } from '@org/messaging-propagation/internal';
import { activate, deactivate } from './active';
import { patchClientSend } from './patches/client-send';
import type { SendFunction, SqsClient } from './internal-types';
import type { SqsTelemetryDeps } from './telemetry';
import type { AwsSqsInstrumentationConfig } from './types';
import { PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_VERSIONS } from './version';

interface ClientSqsModule {
  /**
   * `SQSClient` inherits `send` from smithy's generic `Client` (@smithy/core
   * `client` submodule, shared by every AWS service client): the plugin wraps it
   * on `SQSClient.prototype` only, so no other service is touched. Checked with
   * @aws-sdk/client-sqs 3.1169.0, whose CommonJS build (dist-cjs/index.js, what
   * both `require` and Node's `import` load: the package has no `exports` map)
   * defines SQSClient and every command.
   */
  SQSClient?: { prototype: Record<string, unknown> };
  /** Under ESM (import-in-the-middle) the CommonJS exports object. */
  default?: ClientSqsModule;
}

/** The instrumentation that most likely instruments SQS beside us. */
const UPSTREAM_INSTRUMENTATION = '@opentelemetry/instrumentation-aws-sdk';

/** Connected traces through SQS for the AWS SDK v3 SQS client. */
export class AwsSqsInstrumentation extends InstrumentationBase<AwsSqsInstrumentationConfig> {
  private messagingMetrics: MessagingMetrics | undefined;
  private readonly deps: SqsTelemetryDeps = {
    tracer: () => this.tracer,
    metrics: () => (this.messagingMetrics ??= getMessagingMetrics(this.meter)),
    config: () => this.getConfig(),
    enabled: () => this.isEnabled(),
    diag: this._diag,
  };

  constructor(config: AwsSqsInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
    // InstrumentationBase enables itself from its constructor, before `deps` exists.
    if (this.isEnabled()) activate(this.deps);
  }

  protected override _updateMetricInstruments(): void {
    this.messagingMetrics = getMessagingMetrics(this.meter);
  }

  override enable(): void {
    super.enable();
    // Work that never settles: its spans are ended and flushed when the process is about to end.
    installExitSweep();
    // Undefined only while the base constructor runs.
    if (this.deps) activate(this.deps);
  }

  override disable(): void {
    super.disable();
    if (this.deps) deactivate(this.deps);
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition(
      '@aws-sdk/client-sqs',
      SUPPORTED_VERSIONS,
      (moduleExports: ClientSqsModule) => this.patch(moduleExports),
      (moduleExports: ClientSqsModule) => this.unpatch(moduleExports),
    );
  }

  private patch(moduleExports: ClientSqsModule): ClientSqsModule {
    const prototype = moduleExports?.SQSClient?.prototype ?? moduleExports?.default?.SQSClient?.prototype;
    if (!prototype || typeof prototype['send'] !== 'function') {
      this._diag.warn('@aws-sdk/client-sqs has an unexpected shape; it is left uninstrumented');
      return moduleExports;
    }
    // Upstream @opentelemetry/instrumentation-aws-sdk (0.79) wraps smithy's shared
    // `Client.prototype.send` (@smithy/core >= 3.24), which SQSClient inherits and
    // which loads before this module: wrapping over it would record every SQS call
    // twice and inject two contexts into the MessageAttributes.
    if (wrapperOwner(prototype['send']) === 'other') {
      this.warnOtherInstrumentation('leaves SQS to it');
      return moduleExports;
    }
    if (!isWrapped(prototype['send'])) {
      this._wrap(prototype, 'send', ((original: SendFunction) => this.stepAsideFromOther(original)) as never);
      markOtelMqWrapper(prototype['send']);
    }
    return moduleExports;
  }

  /**
   * Our `send` wrapper, stepping aside for a client whose middleware stack another
   * instrumentation patched (upstream aws-sdk does that through `constructStack`
   * with older smithy versions, where `send` itself is not wrapped).
   */
  private stepAsideFromOther(original: SendFunction): SendFunction {
    const instrumented = patchClientSend(this.deps)(original);
    const warn = (outcome: string) => this.warnOtherInstrumentation(outcome);
    return function send(this: SqsClient, ...args: Parameters<SendFunction>): unknown {
      let other = false;
      try {
        other =
          wrapperOwner((this as { middlewareStack?: { resolve?: unknown } })?.middlewareStack?.resolve) === 'other';
        if (other) warn("leaves this client's calls to it");
      } catch {
        // An unexpected client shape: carry on instrumented.
      }
      return other ? original.apply(this, args) : instrumented.apply(this, args);
    };
  }

  private warnOtherInstrumentation(outcome: string): void {
    warnOtherInstrumentation(this._diag, {
      plugin: PACKAGE_NAME,
      pluginShortName: 'aws-sqs',
      library: '@aws-sdk/client-sqs',
      other: UPSTREAM_INSTRUMENTATION,
      outcome,
    });
  }

  private unpatch(moduleExports: ClientSqsModule): void {
    const prototype = moduleExports?.SQSClient?.prototype ?? moduleExports?.default?.SQSClient?.prototype;
    if (prototype && isWrapped(prototype['send'])) this._unwrap(prototype, 'send');
  }
}
