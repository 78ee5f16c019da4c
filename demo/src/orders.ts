// The orders the demo places; one address is always rejected by the carrier.
import type { DemoOrder } from './services.ts';

export const ORDERS: DemoOrder[] = [
  { id: 'ord-1001', customer: 'alice', item: 'espresso machine', country: 'de', address: 'Hauptstr. 1, Berlin' },
  { id: 'ord-1002', customer: 'bob', item: 'grinder', country: 'fr', address: '2 rue de Rivoli, Paris' },
  { id: 'ord-1003', customer: 'carol', item: 'kettle', country: 'nl', address: '??? unknown' },
];
export const FAILING_ORDER = 'ord-1003';
