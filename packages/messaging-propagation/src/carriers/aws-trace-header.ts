import { isSpanContextValid, TraceFlags } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';

/**
 * The SQS message *system* attribute that carries an AWS X-Ray trace header.
 * It does not count against the 10 message attributes, so otel-mq uses it when
 * the user's own attributes leave no room for `traceparent`.
 */
export const AWS_TRACE_HEADER_ATTRIBUTE = 'AWSTraceHeader';

/** X-Ray headers with lineage data are a few hundred characters; anything past this is not one. */
const MAX_AWS_TRACE_HEADER_LENGTH = 1024;
const ROOT_PATTERN = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/;
const PARENT_PATTERN = /^[0-9a-f]{16}$/;

/**
 * `Root=1-{8 hex}-{24 hex};Parent={16 hex};Sampled={0|1}`: an X-Ray trace id is a
 * W3C trace id split after its 8th hex digit, so the conversion loses nothing
 * but `tracestate`.
 */
export function spanContextToAwsTraceHeader(spanContext: SpanContext): string {
  const { traceId, spanId, traceFlags } = spanContext;
  const sampled = (traceFlags & 0x1) !== 0 ? '1' : '0';
  return `Root=1-${traceId.slice(0, 8)}-${traceId.slice(8)};Parent=${spanId};Sampled=${sampled}`;
}

/**
 * Parses an X-Ray trace header into a remote span context. Anything that is not a
 * well-formed header with a non-zero Root and Parent yields `undefined`, never an error.
 */
export function awsTraceHeaderToSpanContext(header: unknown): SpanContext | undefined {
  if (typeof header !== 'string' || header.length > MAX_AWS_TRACE_HEADER_LENGTH) return undefined;
  let root: RegExpExecArray | null = null;
  let parent: string | undefined;
  let sampled = false;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    const name = part.slice(0, separator).trim().toLowerCase();
    const value = part
      .slice(separator + 1)
      .trim()
      .toLowerCase();
    if (name === 'root') root = ROOT_PATTERN.exec(value);
    else if (name === 'parent') parent = PARENT_PATTERN.test(value) ? value : undefined;
    else if (name === 'sampled') sampled = value === '1';
  }
  if (!root || parent === undefined) return undefined;
  const spanContext: SpanContext = {
    traceId: `${root[1]}${root[2]}`,
    spanId: parent,
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}
