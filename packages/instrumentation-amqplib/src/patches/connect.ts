// Wraps lib/connect.js `connect(url, socketOptions, openCallback)` to remember
// which broker each connection talks to (host and port only: see telemetry/server.ts).
import type { AmqpTelemetryDeps } from '../telemetry/deps';
import { rememberServer, serverFromConnectUrl } from '../telemetry/server';
import type { AnyFunction } from '../internal-types';

export function patchConnect(deps: AmqpTelemetryDeps) {
  return (original: AnyFunction) =>
    function connect(this: unknown, ...args: unknown[]): unknown {
      const openCallback = args[2];
      if (typeof openCallback === 'function') {
        try {
          const server = serverFromConnectUrl(args[0]);
          args[2] = function (this: unknown, ...results: unknown[]) {
            try {
              if (results[0] === null || results[0] === undefined) rememberServer(results[1], server);
            } catch (error) {
              deps.diag.error('otel-mq: could not remember an amqplib connection', error);
            }
            return (openCallback as AnyFunction).apply(this, results);
          };
        } catch (error) {
          deps.diag.error('otel-mq: could not instrument amqplib connect', error);
          args[2] = openCallback;
        }
      }
      return original.apply(this, args);
    };
}
