import type { Attributes } from '@opentelemetry/api';
import { ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '../semconv';

/** The broker a client talks to, without credentials. */
export interface ServerAddress {
  address: string;
  port?: number | undefined;
}

function toPort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port > 0 && port < 65536 ? port : undefined;
}

/**
 * Parses `host:port`, `[ipv6]:port` or a bare host, as Kafka broker lists are written.
 * A scheme and user-info (`sasl://user:secret@host:9092`, a misconfiguration) are
 * dropped first, so credentials never reach `server.address`.
 */
export function parseHostPort(value: unknown): ServerAddress | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value
    .trim()
    .replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//, '')
    .replace(/^.*@/, '');
  if (!text) return undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { address: bracketed[1] as string, port: bracketed[2] ? toPort(bracketed[2]) : undefined };
  const colon = text.lastIndexOf(':');
  if (colon > 0 && text.indexOf(':') === colon) {
    return { address: text.slice(0, colon), port: toPort(text.slice(colon + 1)) };
  }
  return { address: text };
}

/**
 * Host and port of a broker URL (`amqp://user:pass@host:5672/vhost`), never its
 * credentials, path or query. `defaultPort` applies when the URL names none.
 */
export function serverFromUrl(url: unknown, defaultPort?: number): ServerAddress | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const parsed = new URL(url);
    const address = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!address) return undefined;
    return { address, port: parsed.port ? toPort(parsed.port) : defaultPort };
  } catch {
    return undefined;
  }
}

/** `server.address` and `server.port`. */
export function serverAttributes(server: ServerAddress | undefined): Attributes {
  if (!server) return {};
  const attributes: Attributes = { [ATTR_SERVER_ADDRESS]: server.address };
  if (server.port !== undefined) attributes[ATTR_SERVER_PORT] = server.port;
  return attributes;
}
