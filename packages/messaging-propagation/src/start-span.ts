// The one way a plugin starts an operation's span: the name from
// `messagingSpanName`, the kind from the operation, never chosen at a call site.
import type { Attributes, Context, Link, Span, Tracer } from '@opentelemetry/api';
import type { MessagingOperation } from './operations';
import { messagingSpanName } from './span-name';

/**
 * Starts `operation`'s span about `destination` (left out of the name when
 * `undefined`) under `parent`. `startTime` is a `performance.now()` reading, or
 * none for now: the SDK converts it on its own clock.
 */
export function startMessagingSpan(
  tracer: Tracer,
  operation: MessagingOperation,
  destination: string | undefined,
  parent: Context,
  attributes: Attributes,
  links?: Link[],
  startTime?: number,
): Span {
  return tracer.startSpan(
    messagingSpanName(operation, destination),
    { kind: operation.spanKind, attributes, links, startTime },
    parent,
  );
}
