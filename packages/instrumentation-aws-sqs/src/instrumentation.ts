import { InstrumentationBase, InstrumentationNodeModuleDefinition, isWrapped } from '@opentelemetry/instrumentation';
import { getMessagingMetrics } from '@org/messaging-propagation';
import type { MessagingMetrics } from '@org/messaging-propagation';
import { activate, deactivate } from './active';
import { patchClientSend } from './patches/client-send';
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

/** Connected traces through SQS for the AWS SDK v3 SQS client. */
export class AwsSqsInstrumentation extends InstrumentationBase<AwsSqsInstrumentationConfig> {
  private messagingMetrics: MessagingMetrics | undefined;
  private readonly deps: SqsTelemetryDeps = {
    tracer: () => this.tracer,
    metrics: () => (this.messagingMetrics ??= getMessagingMetrics(this.meter)),
    config: () => this.getConfig(),
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
    if (!isWrapped(prototype['send'])) this._wrap(prototype, 'send', patchClientSend(this.deps) as never);
    return moduleExports;
  }

  private unpatch(moduleExports: ClientSqsModule): void {
    const prototype = moduleExports?.SQSClient?.prototype ?? moduleExports?.default?.SQSClient?.prototype;
    if (prototype && isWrapped(prototype['send'])) this._unwrap(prototype, 'send');
  }
}
