import {
  ATTR_OTEL_MQ_RABBITMQ_DEATH_COUNT,
  ATTR_OTEL_MQ_RABBITMQ_DEATH_FIRST_QUEUE,
  ATTR_OTEL_MQ_RABBITMQ_DEATH_FIRST_REASON,
  ATTR_OTEL_MQ_SETTLE_MULTIPLE,
  ATTR_OTEL_MQ_SETTLE_REQUEUE,
} from '../semconv';
import { deadLetterAttributes, MAX_X_DEATH_ENTRIES } from './rabbitmq';
import { settleAttributes } from './settle';

describe('deadLetterAttributes', () => {
  it('adds up the counts of every x-death entry and names the first death', () => {
    expect(
      deadLetterAttributes({
        'x-death': [
          { count: 3, reason: 'expired', queue: 'orders.retry' },
          { count: 2, reason: 'rejected', queue: 'orders' },
        ],
        'x-first-death-queue': Buffer.from('orders'),
        'x-first-death-reason': 'rejected',
      }),
    ).toEqual({
      [ATTR_OTEL_MQ_RABBITMQ_DEATH_COUNT]: 5,
      [ATTR_OTEL_MQ_RABBITMQ_DEATH_FIRST_QUEUE]: 'orders',
      [ATTR_OTEL_MQ_RABBITMQ_DEATH_FIRST_REASON]: 'rejected',
    });
  });

  it('gives nothing for messages that never died', () => {
    expect(deadLetterAttributes(undefined)).toEqual({});
    expect(deadLetterAttributes({ 'x-user': 'a' })).toEqual({});
  });

  it('ignores hostile values and reads a bounded number of entries', () => {
    const hostile = JSON.parse('{"__proto__": {"x-death": [{"count": 9}]}}') as object;
    expect(deadLetterAttributes(hostile)).toEqual({});
    expect(
      deadLetterAttributes({
        'x-death': [{ count: -1 }, { count: 1.5 }, { count: '4' }, null, 'x', { count: Number.MAX_SAFE_INTEGER + 1 }],
        'x-first-death-queue': 42,
        'x-first-death-reason': '',
      }),
    ).toEqual({});
    const many = Array.from({ length: MAX_X_DEATH_ENTRIES * 4 }, () => ({ count: 1 }));
    expect(deadLetterAttributes({ 'x-death': many })[ATTR_OTEL_MQ_RABBITMQ_DEATH_COUNT]).toBe(MAX_X_DEATH_ENTRIES);
    const long = 'q'.repeat(10_000);
    expect(deadLetterAttributes({ 'x-first-death-queue': long })[ATTR_OTEL_MQ_RABBITMQ_DEATH_FIRST_QUEUE]).toHaveLength(
      255,
    );
  });
});

describe('deadLetterAttributes on headers that throw (found by the hostile-input property tests)', () => {
  it('returns what it could read, never an error', () => {
    const throwing = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('hostile');
        },
      },
    );
    expect(deadLetterAttributes({ 'x-death': [{ count: 2 }], 'x-first-death-queue': throwing })).toEqual({
      'otel_mq.rabbitmq.death.count': 2,
    });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(deadLetterAttributes(proxy)).toEqual({});
  });
});

describe('settleAttributes', () => {
  it('records only the booleans it is given', () => {
    expect(settleAttributes({ multiple: true, requeue: false })).toEqual({
      [ATTR_OTEL_MQ_SETTLE_MULTIPLE]: true,
      [ATTR_OTEL_MQ_SETTLE_REQUEUE]: false,
    });
    expect(settleAttributes({ multiple: false })).toEqual({ [ATTR_OTEL_MQ_SETTLE_MULTIPLE]: false });
    expect(settleAttributes({})).toEqual({});
  });
});
