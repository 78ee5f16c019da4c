import { assignMessages, assignOneMessage } from './broker-assignment';

describe('assignMessages', () => {
  it('keeps what it cannot know unknown', () => {
    const spans = [{ topic: 't', messages: [{ value: 'x', partition: 5 }, { value: 'y' }] }];
    const answer = [
      { topicName: 't', partition: 5, baseOffset: '1' },
      { topicName: 't', partition: 6, baseOffset: '1' },
    ];
    expect(assignMessages(spans, answer, [true])).toEqual([
      { partition: undefined, messages: [{ partition: 5 }, { partition: undefined }] },
    ]);
  });

  it('gives no offset for a negative or non-numeric base offset', () => {
    const spans = [{ topic: 't', messages: [{ value: 'x' }] }];
    for (const baseOffset of ['-1', 'n/a', undefined]) {
      expect(assignMessages(spans, [{ topicName: 't', partition: 0, baseOffset }], [true])).toEqual([
        { partition: 0, messages: [{ partition: 0 }] },
      ]);
    }
  });

  it('counts on across spans of a topic that asked for nothing per message', () => {
    const spans = [
      {
        topic: 't',
        messages: [
          { value: '1', partition: 1 },
          { value: '2', partition: 0 },
          { value: '3', partition: 1 },
        ],
      },
      { topic: 't', messages: [{ value: '4', partition: 1 }] },
      { topic: 'u', messages: [{ value: '5' }, { value: '6' }] },
      { topic: 'u', messages: [{ value: '7' }] },
    ];
    const answer = [
      { topicName: 't', partition: 0, baseOffset: '10' },
      { topicName: 't', partition: 1, baseOffset: '20' },
      { topicName: 'u', partition: 3, baseOffset: '30' },
    ];
    expect(assignMessages(spans, answer, [false, true, false, true])).toEqual([
      { partition: undefined, messages: undefined },
      { partition: 1, messages: [{ partition: 1, offset: 22 }] },
      { partition: 3 },
      { partition: 3, messages: [{ partition: 3, offset: 32 }] },
    ]);
  });
});

describe('assignOneMessage', () => {
  it('agrees with assignMessages on every one-message send (generated answers)', () => {
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const topics = ['orders', 'refunds'];
    const offsets = [undefined, '0', '41', '-1', 'x', '9007199254740993'];
    for (let round = 0; round < 3000; round++) {
      const answer = Array.from({ length: next(4) }, () => ({
        topicName: topics[next(2)] as string,
        partition: next(3),
        baseOffset: offsets[next(offsets.length)],
      }));
      const shaped = next(10) === 0 ? { not: 'an array' } : answer;
      const message = { value: 'v', partition: next(2) === 0 ? undefined : next(3) };
      const general = assignMessages([{ topic: 'orders', messages: [message] }], shaped, [true])?.[0]?.messages?.[0];
      const expected = general?.partition === undefined ? undefined : general;
      expect(assignOneMessage('orders', message, shaped)).toEqual(expected);
    }
  });
});
