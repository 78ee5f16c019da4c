// The SDK resolves a client's region asynchronously (`config.region` is a
// provider); each client's answer is cached here once it arrives, so spans
// never wait for it.
import type { SqsClient } from '../internal-types';

const regions = new WeakMap<object, string>();
const pending = new WeakSet<object>();

/** The client's region if known; starts resolving it otherwise (the SDK resolves it for the call anyway). */
export function clientRegion(client: SqsClient): string | undefined {
  if (typeof client !== 'object' || client === null) return undefined;
  const known = regions.get(client);
  if (known !== undefined || pending.has(client)) return known;
  const region: unknown = client.config?.region;
  if (typeof region === 'string') {
    regions.set(client, region);
    return region;
  }
  if (typeof region !== 'function') return undefined;
  pending.add(client);
  try {
    Promise.resolve((region as () => unknown).call(client.config)).then(
      (value) => {
        if (typeof value === 'string' && value !== '') regions.set(client, value);
      },
      () => undefined,
    );
  } catch {
    // A provider that throws leaves the region unknown; the SDK reports its own error.
  }
  return undefined;
}
