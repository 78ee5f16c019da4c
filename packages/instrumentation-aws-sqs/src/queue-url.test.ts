import { MAX_REMEMBERED_QUEUE_URLS, queueUrlFacts } from './queue-url';

describe('queueUrlFacts', () => {
  it('names the queue and records the URL without credentials', () => {
    expect(queueUrlFacts('http://user:secret@localhost:4566/000000000000/orders')).toEqual({
      queueName: 'orders',
      recordedUrl: 'http://localhost:4566/000000000000/orders',
    });
    expect(queueUrlFacts('')).toEqual({ queueName: undefined, recordedUrl: undefined });
  });

  it('works a URL out once, and forgets the oldest past the bound', () => {
    const first = queueUrlFacts('https://sqs.eu-west-1.amazonaws.com/123456789012/first');
    expect(queueUrlFacts('https://sqs.eu-west-1.amazonaws.com/123456789012/first')).toBe(first);
    for (let i = 0; i < MAX_REMEMBERED_QUEUE_URLS; i++) {
      queueUrlFacts(`https://sqs.eu-west-1.amazonaws.com/123456789012/q${i}`);
    }
    const again = queueUrlFacts('https://sqs.eu-west-1.amazonaws.com/123456789012/first');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
