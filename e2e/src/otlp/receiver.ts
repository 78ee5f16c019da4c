/**
 * In-process OTLP/HTTP receiver for e2e tests.
 *
 * Child processes running the OpenTelemetry SDK export to `receiver.endpoint`
 * (POST /v1/traces, /v1/metrics, /v1/logs). Both `application/x-protobuf` and
 * `application/json` bodies are accepted, optionally gzip/deflate/br encoded.
 * Spans and metrics are normalised into plain objects (hex ids, bigint
 * nanosecond timestamps, enum names) that read like what a user sees.
 *
 * This file is the HTTP server; protobuf.ts decodes the wire format driven by
 * proto-schema.ts (field numbers per opentelemetry-proto v1), normalise.ts turns
 * either encoding into the types of types.ts.
 *
 * Written as erasable TypeScript so Node >= 22.18 / 24 can run it directly.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { decodeMetrics, decodeTraces } from './normalise.ts';
import type { OtlpReceiver, ReceivedMetric, ReceivedRequest, ReceivedSpan } from './types.ts';

// Tests import what they read from the receiver they start.
export type {
  AttributeValue,
  Attributes,
  OtlpReceiver,
  ReceivedDataPoint,
  ReceivedEvent,
  ReceivedLink,
  ReceivedMetric,
  ReceivedRequest,
  ReceivedScope,
  ReceivedSpan,
  SpanKindName,
  StatusCodeName,
} from './types.ts';

/** A request header as text (`IncomingHttpHeaders` values may be arrays or absent). */
function headerText(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

class HttpError extends Error {
  status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function decompress(body: Buffer, contentEncoding: string): Buffer {
  switch (contentEncoding) {
    case '':
    case 'identity':
    case 'none':
      return body;
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(body);
    case 'deflate':
      return inflateSync(body);
    case 'br':
      return brotliDecompressSync(body);
    default:
      throw new HttpError(415, `unsupported Content-Encoding: ${contentEncoding}`);
  }
}

/** google.rpc.Status { int32 code = 1; string message = 2; } */
function encodeRpcStatus(code: number, message: string): Buffer {
  const text = Buffer.from(message, 'utf8');
  const varint = (n: number): number[] => {
    const bytes: number[] = [];
    while (n > 0x7f) {
      bytes.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    bytes.push(n);
    return bytes;
  };
  return Buffer.concat([Buffer.from([0x08, ...varint(code), 0x12, ...varint(text.length)]), text]);
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : (JSON.stringify(e) ?? 'undefined');
}

interface Waiter {
  check: () => boolean;
  fail: (err: Error) => void;
}

const SIGNAL_PATHS: Record<string, ReceivedRequest['signal']> = {
  '/v1/traces': 'traces',
  '/v1/metrics': 'metrics',
  '/v1/logs': 'logs',
};

export interface OtlpReceiverOptions {
  /**
   * Also forward every request it accepts, unchanged (same path, content type and
   * encoding), to this OTLP/HTTP base URL, e.g. a Collector or Jaeger. Forwarding
   * failures are recorded in `errors()`, never answered to the sender.
   */
  forwardTo?: string | undefined;
}

export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  let spans: ReceivedSpan[] = [];
  let metrics: ReceivedMetric[] = [];
  let requests: ReceivedRequest[] = [];
  let errors: string[] = [];
  const waiters = new Set<Waiter>();
  let closed = false;

  const notify = (): void => {
    for (const w of [...waiters]) w.check();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
    const signal = SIGNAL_PATHS[path];
    const contentType = headerText(req.headers['content-type']).split(';')[0]!.trim().toLowerCase();
    const encoding: 'protobuf' | 'json' = contentType === 'application/json' ? 'json' : 'protobuf';
    const contentEncoding = headerText(req.headers['content-encoding']).trim().toLowerCase();

    const reply = (status: number, body: Buffer | string, type: string): void => {
      res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    };
    const fail = (status: number, message: string): void => {
      errors.push(`${req.method} ${req.url} (${contentType || 'no content-type'}): ${message}`);
      if (encoding === 'json') reply(status, JSON.stringify({ code: 3, message }), 'application/json');
      else reply(status, encodeRpcStatus(3 /* INVALID_ARGUMENT */, message), 'application/x-protobuf');
      notify();
    };

    if (!signal) {
      // drain, then 404
      await readBody(req).catch(() => undefined);
      fail(404, `unknown path ${path}`);
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      fail(405, `method ${req.method} not allowed`);
      return;
    }
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (e) {
      fail(e instanceof HttpError ? e.status : 400, errorMessage(e));
      return;
    }
    const record = (status: number): void => {
      requests.push({ signal, encoding, contentEncoding: contentEncoding || 'identity', bytes: raw.length, status });
    };
    if (
      contentType !== 'application/json' &&
      contentType !== 'application/x-protobuf' &&
      contentType !== 'application/protobuf'
    ) {
      record(415);
      fail(415, `unsupported Content-Type: ${contentType || '(none)'}`);
      return;
    }
    try {
      const body = decompress(raw, contentEncoding);
      if (signal === 'traces') spans.push(...decodeTraces(body, encoding));
      else if (signal === 'metrics') metrics.push(...decodeMetrics(body, encoding));
      else if (encoding === 'json' && body.length > 0) JSON.parse(body.toString('utf8')); // logs: validate, discard
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 400;
      record(status);
      fail(
        status,
        `cannot decode ${signal} ${encoding}${contentEncoding ? ` (${contentEncoding})` : ''}: ${errorMessage(e)}`,
      );
      return;
    }
    record(200);
    if (options.forwardTo) forward(path, raw, req.headers);
    // An empty Export{Trace,Metrics,Logs}ServiceResponse: zero bytes in protobuf, {} in JSON.
    if (encoding === 'json') reply(200, '{}', 'application/json');
    else reply(200, Buffer.alloc(0), contentType);
    notify();
  };

  const forwardTo = options.forwardTo?.replace(/\/+$/, '');
  const forwards = new Set<Promise<void>>();
  const forward = (path: string, raw: Buffer, headers: IncomingMessage['headers']): void => {
    const headersOut: Record<string, string> = { 'content-type': headerText(headers['content-type']) };
    if (headers['content-encoding']) headersOut['content-encoding'] = headerText(headers['content-encoding']);
    const sent = fetch(`${forwardTo}${path}`, { method: 'POST', headers: headersOut, body: raw })
      .then((response) => {
        if (!response.ok) errors.push(`forward to ${forwardTo}${path}: HTTP ${response.status}`);
      })
      .catch((e: unknown) => {
        errors.push(`forward to ${forwardTo}${path}: ${errorMessage(e)}`);
      })
      .finally(() => forwards.delete(sent));
    forwards.add(sent);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      errors.push(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : errorMessage(e)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  const summary = (): string => {
    const counts = new Map<string, number>();
    for (const s of spans) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
    const names = [...counts].map(([n, c]) => (c > 1 ? `${JSON.stringify(n)} x${c}` : JSON.stringify(n)));
    const bySignal = (sig: string) => requests.filter((r) => r.signal === sig).length;
    let text =
      `received ${spans.length} span(s)${names.length ? `: ${names.join(', ')}` : ''}; ` +
      `${metrics.length} metric(s)${metrics.length ? `: ${[...new Set(metrics.map((m) => JSON.stringify(m.name)))].join(', ')}` : ''}; ` +
      `requests: traces=${bySignal('traces')} metrics=${bySignal('metrics')} logs=${bySignal('logs')}`;
    if (errors.length) text += `\nreceiver errors:\n  ${errors.join('\n  ')}`;
    return text;
  };

  function waitFor<T>(
    what: string,
    snapshot: () => T[],
    predicate: (items: T[]) => unknown,
    timeoutMs: number,
  ): Promise<T[]> {
    return new Promise<T[]>((resolve, reject) => {
      if (closed) {
        reject(new Error(`${what}: receiver is closed`));
        return;
      }
      let lastError: unknown;
      const evaluate = (): T[] | undefined => {
        const items = snapshot();
        try {
          if (predicate(items)) return items;
        } catch (e) {
          lastError = e;
        }
        return undefined;
      };
      const first = evaluate();
      if (first) {
        resolve(first);
        return;
      }
      const timer = setTimeout(() => {
        const last = lastError === undefined ? '' : `\nlast predicate error: ${errorMessage(lastError)}`;
        waiter.fail(new Error(`${what} timed out after ${timeoutMs}ms; ${summary()}${last}`));
      }, timeoutMs);
      const waiter: Waiter = {
        check: () => {
          const items = evaluate();
          if (!items) return false;
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve(items);
          return true;
        },
        fail: (err) => {
          waiters.delete(waiter);
          clearTimeout(timer);
          reject(err);
        },
      };
      waiters.add(waiter);
    });
  }

  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans: () => spans.slice(),
    metrics: () => metrics.slice(),
    requests: () => requests.slice(),
    errors: () => errors.slice(),
    waitForSpans: (predicate, timeoutMs = 10_000) => waitFor('waitForSpans', () => spans.slice(), predicate, timeoutMs),
    waitForMetrics: (predicate, timeoutMs = 10_000) =>
      waitFor('waitForMetrics', () => metrics.slice(), predicate, timeoutMs),
    clear: () => {
      spans = [];
      metrics = [];
      requests = [];
      errors = [];
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const w of [...waiters]) w.fail(new Error(`receiver closed while waiting; ${summary()}`));
      await Promise.allSettled([...forwards]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
