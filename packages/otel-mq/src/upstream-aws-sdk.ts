// `@opentelemetry/instrumentation-aws-sdk` instruments every AWS service. Beside
// the aws-sqs plugin only what that plugin records must step aside: SQS, and SNS
// Publish/PublishBatch (their spans would be doubled, and upstream's SQS and SNS
// hooks write propagation fields into the command input); S3, DynamoDB, Lambda,
// and SNS's other calls (CreateTopic, Subscribe…) stay traced by upstream.
import { context, diag, INVALID_SPAN_CONTEXT, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { markOtherSteppedAside } from '@org/messaging-propagation/internal';

/** The service ids the clients report (`SQSClient`/`SNSClient` config `serviceId`). */
const SQS_SERVICE = 'SQS';
const SNS_SERVICE = 'SNS';
/** The SNS commands the aws-sqs plugin records (its `SNS_COMMAND_HANDLERS`). */
const SNS_COMMANDS_OURS = new Set(['Publish', 'PublishBatch']);

function isOurs(request: { serviceName?: unknown; commandName?: unknown } | undefined): boolean {
  if (request?.serviceName === SQS_SERVICE) return true;
  return request?.serviceName === SNS_SERVICE && SNS_COMMANDS_OURS.has(request.commandName as string);
}

/**
 * What `AwsInstrumentation` (0.79.0, the version auto-instrumentations-node
 * 0.82.0 ships) decides per service with. It has no option to leave a service
 * out, so these internals are used, checked first:
 * - `servicesExtensions.services`: a Map from service id to the extension whose
 *   hooks add SQS attributes, inject into `MessageAttributes` and add
 *   `MessageAttributeNames` to ReceiveMessage;
 * - `_startAwsV3Span(normalizedRequest, metadata)`: starts the span of every
 *   SDK v3 call; upstream then makes it active around the call.
 */
interface AwsSdkInternals {
  servicesExtensions?: { services?: unknown };
  _startAwsV3Span?: (
    this: unknown,
    request: { serviceName?: unknown; commandName?: unknown } | undefined,
    metadata: unknown,
  ) => Span;
}

const steppedAside = new WeakSet<object>();

/**
 * Makes the upstream aws-sdk instrumentation leave SQS calls (and SNS publishes) to the aws-sqs plugin:
 * its SQS extension is removed, and an SQS call gets a non-recording span that
 * carries the active span context (the plugin's span), so the HTTP spans of the
 * call stay children of the plugin's span instead of being hidden or orphaned.
 * Returns false when the instrumentation does not have the expected shape (a
 * release that changed its internals): the caller then turns it off entirely.
 */
export function stepAsideForAwsMessaging(instrumentation: Instrumentation): boolean {
  try {
    const internals = instrumentation as unknown as AwsSdkInternals;
    if (steppedAside.has(internals)) return true;
    const services = internals.servicesExtensions?.services;
    const startSpan = internals._startAwsV3Span;
    if (!(services instanceof Map) || typeof startSpan !== 'function') return false;
    services.delete(SQS_SERVICE);
    // Its SNS extension only adds Publish attributes and injects into Publish's
    // MessageAttributes: without it, SNS's other calls still get upstream's spans.
    services.delete(SNS_SERVICE);
    internals._startAwsV3Span = function startAwsV3Span(this: unknown, request, metadata): Span {
      if (isOurs(request)) {
        return trace.wrapSpanContext(trace.getSpanContext(context.active()) ?? INVALID_SPAN_CONTEXT);
      }
      return startSpan.call(this, request, metadata);
    };
    steppedAside.add(internals);
    // Tells the aws-sqs plugin to instrument SQS clients over upstream's wrapper rather than leave them to it.
    markOtherSteppedAside(instrumentation.instrumentationName, '@aws-sdk/client-sqs');
    markOtherSteppedAside(instrumentation.instrumentationName, '@aws-sdk/client-sns');
    return true;
  } catch (error) {
    diag.debug(
      'otel-mq: could not make the upstream aws-sdk instrumentation leave SQS and SNS publishing alone',
      error,
    );
    return false;
  }
}
