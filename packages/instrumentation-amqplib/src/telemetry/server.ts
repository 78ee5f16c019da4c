// server.address / server.port of a channel's broker. amqplib does not keep the
// URL it connected with, so `connect` is wrapped to remember it per connection
// object (credentials are never kept: only host and port).
import { serverFromUrl } from '@org/messaging-propagation/internal';
import type { ServerAddress } from '@org/messaging-propagation/internal';
import type { AmqpChannel, AmqpConnection, AmqpUrlObject } from '../internal-types';

const AMQP_PORT = 5672;
const AMQPS_PORT = 5671;

const servers = new WeakMap<AmqpConnection, ServerAddress>();

function defaultPort(protocol: unknown): number {
  return typeof protocol === 'string' && protocol.toLowerCase().startsWith('amqps') ? AMQPS_PORT : AMQP_PORT;
}

/** Host and port of the `url` argument of `amqplib.connect` (a string or an object), never credentials. */
export function serverFromConnectUrl(url: unknown): ServerAddress | undefined {
  if (typeof url === 'string') return serverFromUrl(url, defaultPort(url));
  if (typeof url !== 'object' || url === null) return undefined;
  const { protocol, hostname, port } = url as AmqpUrlObject;
  const host = typeof hostname === 'string' && hostname.length > 0 ? hostname : 'localhost';
  const portNumber = typeof port === 'number' ? port : typeof port === 'string' ? Number(port) : NaN;
  return {
    address: host,
    port: Number.isInteger(portNumber) && portNumber > 0 && portNumber < 65536 ? portNumber : defaultPort(protocol),
  };
}

export function rememberServer(connection: unknown, server: ServerAddress | undefined): void {
  if (server && typeof connection === 'object' && connection !== null) servers.set(connection, server);
}

/** The broker of a channel, when its connection was opened through the wrapped `connect`. */
export function channelServer(channel: unknown): ServerAddress | undefined {
  const connection = (channel as AmqpChannel | undefined)?.connection;
  return typeof connection === 'object' && connection !== null ? servers.get(connection) : undefined;
}
