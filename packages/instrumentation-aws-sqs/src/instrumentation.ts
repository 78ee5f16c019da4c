import { InstrumentationNodeModuleDefinition, isWrapped } from '@opentelemetry/instrumentation';
import {
  markOtelMqWrapper,
  MessagingInstrumentation,
  otherSteppedAside,
  warnOtherInstrumentation,
  wrapperOwner,
} from '@org/messaging-propagation/internal';
import { activate, deactivate } from './active';
import { COMMAND_HANDLERS, SNS_COMMAND_HANDLERS } from './commands';
import { patchClientSend } from './patches/client-send';
import { wrapInherited } from './patches/wrap-inherited';
import type { SendFunction, SqsClient } from './internal-types';
import { AWS_SQS_CONFIG_DEFAULTS } from './telemetry';
import type { AwsSqsConfigDefaults, SqsTelemetryDeps } from './telemetry';
import type { AwsSqsInstrumentationConfig } from './types';
import { patchProcessorRegister } from './patches/powertools-batch';
import { patchConsumerStart } from './patches/sqs-consumer';
import {
  PACKAGE_NAME,
  PACKAGE_VERSION,
  POWERTOOLS_BATCH_SUPPORTED_VERSIONS,
  SNS_SUPPORTED_VERSIONS,
  SQS_CONSUMER_SUPPORTED_VERSIONS,
  SUPPORTED_VERSIONS,
} from './version';

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
  /** `@aws-sdk/client-sns`: the same shape, `SNSClient` inheriting the same `send`. */
  SNSClient?: { prototype: Record<string, unknown> };
  /** Under ESM (import-in-the-middle) the CommonJS exports object. */
  default?: ClientSqsModule;
}

interface SqsConsumerModule {
  Consumer?: { prototype: Record<string, unknown> };
  default?: SqsConsumerModule;
}

interface PowertoolsBatchModule {
  BasePartialBatchProcessor?: { prototype: Record<string, unknown> };
  default?: PowertoolsBatchModule;
}

function processorPrototype(moduleExports: PowertoolsBatchModule | undefined): Record<string, unknown> | undefined {
  return (
    moduleExports?.BasePartialBatchProcessor?.prototype ?? moduleExports?.default?.BasePartialBatchProcessor?.prototype
  );
}

function consumerPrototype(moduleExports: SqsConsumerModule | undefined): Record<string, unknown> | undefined {
  return moduleExports?.Consumer?.prototype ?? moduleExports?.default?.Consumer?.prototype;
}

/** One AWS SDK client package this plugin patches: its module, client class and command handlers. */
interface PatchedClient {
  module: '@aws-sdk/client-sqs' | '@aws-sdk/client-sns';
  clientClass: 'SQSClient' | 'SNSClient';
  service: 'SQS' | 'SNS';
  handlers: typeof COMMAND_HANDLERS;
}

const SQS_CLIENT: PatchedClient = {
  module: '@aws-sdk/client-sqs',
  clientClass: 'SQSClient',
  service: 'SQS',
  handlers: COMMAND_HANDLERS,
};
const SNS_CLIENT: PatchedClient = {
  module: '@aws-sdk/client-sns',
  clientClass: 'SNSClient',
  service: 'SNS',
  handlers: SNS_COMMAND_HANDLERS,
};

/** The instrumentation that most likely instruments SQS beside us. */
const UPSTREAM_INSTRUMENTATION = '@opentelemetry/instrumentation-aws-sdk';

/** Upstream wraps the client but was made to leave this service to us (`@org/otel-mq`'s auto-instrumentations). */
const upstreamStepsAside = (client: PatchedClient): boolean =>
  otherSteppedAside(UPSTREAM_INSTRUMENTATION, client.module);

/** Connected traces through SQS (and SNS publishing) for the AWS SDK v3 SQS and SNS clients. */
export class AwsSqsInstrumentation extends MessagingInstrumentation<AwsSqsInstrumentationConfig, AwsSqsConfigDefaults> {
  constructor(config: AwsSqsInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  protected override get configDefaults(): AwsSqsConfigDefaults {
    return AWS_SQS_CONFIG_DEFAULTS;
  }

  private get deps(): SqsTelemetryDeps {
    return this.telemetry;
  }

  protected override onEnable(): void {
    activate(this.deps);
  }

  protected override onDisable(): void {
    deactivate(this.deps);
  }

  protected init() {
    const definition = (client: PatchedClient, versions: string[]) =>
      new InstrumentationNodeModuleDefinition(
        client.module,
        versions,
        (moduleExports: ClientSqsModule) => this.patch(client, moduleExports),
        (moduleExports: ClientSqsModule) => this.unpatch(client, moduleExports),
      );
    return [
      definition(SQS_CLIENT, SUPPORTED_VERSIONS),
      definition(SNS_CLIENT, SNS_SUPPORTED_VERSIONS),
      new InstrumentationNodeModuleDefinition(
        'sqs-consumer',
        SQS_CONSUMER_SUPPORTED_VERSIONS,
        (moduleExports: SqsConsumerModule) => this.patchSqsConsumer(moduleExports),
        (moduleExports: SqsConsumerModule) => {
          const prototype = consumerPrototype(moduleExports);
          if (prototype && isWrapped(prototype['start'])) this._unwrap(prototype, 'start');
        },
      ),
      new InstrumentationNodeModuleDefinition(
        '@aws-lambda-powertools/batch',
        POWERTOOLS_BATCH_SUPPORTED_VERSIONS,
        (moduleExports: PowertoolsBatchModule) => this.patchPowertoolsBatch(moduleExports),
        (moduleExports: PowertoolsBatchModule) => {
          const prototype = processorPrototype(moduleExports);
          if (prototype && isWrapped(prototype['register'])) this._unwrap(prototype, 'register');
        },
      ),
    ];
  }

  private patchPowertoolsBatch(moduleExports: PowertoolsBatchModule): PowertoolsBatchModule {
    const prototype = processorPrototype(moduleExports);
    if (!prototype || typeof prototype['register'] !== 'function') {
      this._diag.warn('@aws-lambda-powertools/batch has an unexpected shape; its records run without process spans');
      return moduleExports;
    }
    if (!isWrapped(prototype['register'])) {
      this._wrap(prototype, 'register', patchProcessorRegister(this._diag) as never);
    }
    return moduleExports;
  }

  private patchSqsConsumer(moduleExports: SqsConsumerModule): SqsConsumerModule {
    const prototype = consumerPrototype(moduleExports);
    if (!prototype || typeof prototype['start'] !== 'function') {
      this._diag.warn('sqs-consumer has an unexpected shape; its handlers run without process spans');
      return moduleExports;
    }
    if (!isWrapped(prototype['start'])) this._wrap(prototype, 'start', patchConsumerStart(this._diag) as never);
    return moduleExports;
  }

  private patch(client: PatchedClient, moduleExports: ClientSqsModule): ClientSqsModule {
    const prototype =
      moduleExports?.[client.clientClass]?.prototype ?? moduleExports?.default?.[client.clientClass]?.prototype;
    if (!prototype || typeof prototype['send'] !== 'function') {
      this._diag.warn(`${client.module} has an unexpected shape; it is left uninstrumented`);
      return moduleExports;
    }
    // Upstream @opentelemetry/instrumentation-aws-sdk (0.79) wraps smithy's shared
    // `Client.prototype.send` (@smithy/core >= 3.24), which SQSClient inherits and
    // which loads before this module: wrapping over it would record every SQS call
    // twice and inject two contexts into the MessageAttributes.
    if (wrapperOwner(prototype['send']) === 'other' && !upstreamStepsAside(client)) {
      this.warnOtherInstrumentation(client, `leaves ${client.service} to it`);
      return moduleExports;
    }
    const wrapper = (original: SendFunction) => this.stepAsideFromOther(client, original);
    if (!isWrapped(prototype['send'])) {
      this._wrap(prototype, 'send', wrapper as never);
      markOtelMqWrapper(prototype['send']);
    } else if (wrapperOwner(prototype['send']) === 'other' && !Object.hasOwn(prototype, 'send')) {
      // Upstream's wrapper of the shared base `send`, made to leave SQS to us: wrap over it.
      markOtelMqWrapper(wrapInherited(prototype, 'send', wrapper));
    }
    return moduleExports;
  }

  /**
   * Our `send` wrapper, stepping aside for a client whose middleware stack another
   * instrumentation patched (upstream aws-sdk does that through `constructStack`
   * with older smithy versions, where `send` itself is not wrapped).
   */
  private stepAsideFromOther(client: PatchedClient, original: SendFunction): SendFunction {
    const instrumented = patchClientSend(this.deps, client.handlers)(original);
    const warn = (outcome: string) => this.warnOtherInstrumentation(client, outcome);
    return function send(this: SqsClient, ...args: Parameters<SendFunction>): unknown {
      let other = false;
      try {
        other =
          wrapperOwner((this as { middlewareStack?: { resolve?: unknown } })?.middlewareStack?.resolve) === 'other' &&
          !upstreamStepsAside(client);
        if (other) warn("leaves this client's calls to it");
      } catch {
        // An unexpected client shape: carry on instrumented.
      }
      return other ? original.apply(this, args) : instrumented.apply(this, args);
    };
  }

  private warnOtherInstrumentation(client: PatchedClient, outcome: string): void {
    warnOtherInstrumentation(this._diag, {
      plugin: PACKAGE_NAME,
      pluginShortName: 'aws-sqs',
      library: client.module,
      other: UPSTREAM_INSTRUMENTATION,
      outcome,
    });
  }

  private unpatch(client: PatchedClient, moduleExports: ClientSqsModule): void {
    const prototype =
      moduleExports?.[client.clientClass]?.prototype ?? moduleExports?.default?.[client.clientClass]?.prototype;
    // Only our own wrapper: an inherited `send` may be upstream's wrapper of smithy's
    // shared `Client.prototype.send`, and unwrapping it through SQSClient.prototype
    // would take it off every AWS client (SNS, S3…).
    if (prototype && Object.hasOwn(prototype, 'send') && wrapperOwner(prototype['send']) === 'otel-mq') {
      this._unwrap(prototype, 'send');
    }
  }
}
