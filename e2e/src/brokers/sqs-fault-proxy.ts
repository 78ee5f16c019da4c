// A tiny HTTP proxy in front of an SQS emulator that answers some requests with
// the errors real SQS sends under load, chosen by the queue's name:
// - `…throttle…`: the first 2 requests per operation and queue get HTTP 400 ThrottlingException;
// - `…unavailable…`: every request gets HTTP 503 ServiceUnavailable;
// - `…internal…`: every request gets HTTP 500 InternalFailure.
// CreateQueue always passes. Every other request is forwarded untouched.
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SqsFaultProxy {
  /** http://127.0.0.1:PORT, the SQSClient `endpoint` */
  endpoint: string;
  /** Requests answered with an error so far, by `operation queue`. */
  failures(): Record<string, number>;
  close(): Promise<void>;
}

const THROTTLED_ATTEMPTS = 2;

interface Fault {
  status: number;
  type: string;
  message: string;
}

function faultFor(queue: string, seen: number): Fault | undefined {
  if (queue.includes('throttle') && seen <= THROTTLED_ATTEMPTS) {
    return { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' };
  }
  if (queue.includes('unavailable')) {
    return { status: 503, type: 'ServiceUnavailable', message: 'Service is unavailable' };
  }
  if (queue.includes('internal')) return { status: 500, type: 'InternalFailure', message: 'Internal failure' };
  return undefined;
}

export async function startSqsFaultProxy(target: string): Promise<SqsFaultProxy> {
  const upstream = new URL(target);
  const seen = new Map<string, number>();
  const failed: Record<string, number> = {};
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const operation = String(request.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
      let queue = '';
      try {
        queue = String((JSON.parse(body.toString('utf8')) as { QueueUrl?: string }).QueueUrl ?? '');
      } catch {
        // not JSON: forwarded as is
      }
      const key = `${operation} ${queue.split('/').pop() ?? ''}`;
      const count = (seen.get(key) ?? 0) + 1;
      seen.set(key, count);
      const fault = operation === 'CreateQueue' ? undefined : faultFor(queue, count);
      if (fault) {
        failed[key] = (failed[key] ?? 0) + 1;
        response
          .writeHead(fault.status, {
            'content-type': 'application/x-amz-json-1.0',
            'x-amzn-requestid': `fault-${count}`,
            'x-amzn-query-error': `${fault.type};${fault.status < 500 ? 'Sender' : 'Receiver'}`,
          })
          .end(JSON.stringify({ __type: `com.amazonaws.sqs#${fault.type}`, message: fault.message }));
        return;
      }
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: { ...request.headers, host: upstream.host },
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      forward.on('error', () => response.writeHead(502).end());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    failures: () => ({ ...failed }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
