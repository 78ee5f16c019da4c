import { messageIdentityAttributes, messagingAttributes } from './attributes/common';
import { MessagingOperations } from './operations';
import { ConstantAttributes, MAX_CONSTANT_ATTRIBUTE_SETS } from './constant-attributes';
import { metricAttributes, successMetricAttributes } from './metrics';
import { setMessagingSemconvMode } from './semconv-stability';

const build = (destination: string) =>
  messagingAttributes({ operation: MessagingOperations.kafka.process, destination, partitionId: 0 });

describe('ConstantAttributes', () => {
  it('remembers one frozen set per owner and key', () => {
    const cache = new ConstantAttributes();
    const owner = {};
    expect(cache.get(owner, 'a')).toBeUndefined();
    const remembered = cache.remember(owner, 'a', build('a'));
    expect(Object.isFrozen(remembered)).toBe(true);
    expect(cache.get(owner, 'a')).toBe(remembered);
    expect(cache.get({}, 'a')).toBeUndefined();
  });

  it('forgets every set when the naming mode changes, so existing owners get the new names', () => {
    const cache = new ConstantAttributes();
    const owner = {};
    try {
      cache.remember(owner, 'a', build('a'));
      setMessagingSemconvMode('dup');
      expect(cache.get(owner, 'a')).toBeUndefined();
      const rebuilt = cache.remember(owner, 'a', build('a'));
      expect(rebuilt['messaging.system']).toBe('kafka');
      expect(cache.get(owner, 'a')).toBe(rebuilt);
      setMessagingSemconvMode('dup');
      expect(cache.get(owner, 'a')).toBe(rebuilt);
      setMessagingSemconvMode('current');
      expect(cache.get(owner, 'a')).toBeUndefined();
    } finally {
      setMessagingSemconvMode('current');
    }
  });

  it('stops remembering at the bound, and still returns the attributes', () => {
    const cache = new ConstantAttributes();
    const owner = {};
    for (let i = 0; i < MAX_CONSTANT_ATTRIBUTE_SETS; i++) cache.remember(owner, `t${i}`, build(`t${i}`));
    const beyond = cache.remember(owner, 'one-more', build('one-more'));
    expect(beyond['messaging.destination.name']).toBe('one-more');
    expect(Object.isFrozen(beyond)).toBe(false);
    expect(cache.get(owner, 'one-more')).toBeUndefined();
  });
});

describe('successMetricAttributes', () => {
  it('computes the metric attributes of a frozen set once', () => {
    const frozen = Object.freeze(build('orders'));
    const first = successMetricAttributes(frozen);
    expect(first).toEqual(metricAttributes(frozen));
    expect(successMetricAttributes(frozen)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('builds a fresh object for per-message (unfrozen) attributes', () => {
    const attributes = build('orders');
    expect(successMetricAttributes(attributes)).not.toBe(successMetricAttributes(attributes));
  });
});

describe('messageIdentityAttributes', () => {
  it('gives the per-message common attributes alone, leaving out empty ones', () => {
    expect(messageIdentityAttributes({ messageId: 'm-1', conversationId: '', bodySize: 0 })).toEqual({
      'messaging.message.id': 'm-1',
      'messaging.message.body.size': 0,
    });
    // Together with the constant set they are what messagingAttributes gives.
    const all = messagingAttributes({ operation: MessagingOperations.kafka.process, destination: 'd', messageId: 'x' });
    expect({ ...build('d'), ...messageIdentityAttributes({ messageId: 'x' }) }).toEqual({
      ...all,
      'messaging.destination.partition.id': '0',
    });
  });
});
