import { SpanStatusCode } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ERROR_TYPE_VALUE_OTHER } from './semconv';

const ERROR_CODE_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * A low-cardinality `error.type` for anything thrown: a broker error code when the
 * client gives one (kafkajs `type`, amqplib/Node `code`, AWS SDK `name`), else the
 * error's class name, else `_OTHER`.
 */
export function errorType(error: unknown): string {
  if (typeof error !== 'object' || error === null) return ERROR_TYPE_VALUE_OTHER;
  const candidate = error as { type?: unknown; code?: unknown; name?: unknown };
  for (const value of [candidate.type, candidate.code, candidate.name]) {
    if (typeof value === 'string' && ERROR_CODE_PATTERN.test(value) && value !== 'Error') return value;
  }
  const className = (error as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof className === 'string' && ERROR_CODE_PATTERN.test(className) ? className : ERROR_TYPE_VALUE_OTHER;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : String(errorType(error));
}

/** Marks a span as failed: `error.type`, ERROR status with the message, and an exception event. */
export function recordSpanError(span: Span, error: unknown): void {
  span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
  if (error instanceof Error || typeof error === 'string') span.recordException(error);
}
