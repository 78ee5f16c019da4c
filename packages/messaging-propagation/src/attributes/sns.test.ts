import { snsAttributes, snsTopicNameFromArn } from './sns';

describe('SNS attributes', () => {
  it.each([
    ['arn:aws:sns:eu-west-1:123456789012:orders', 'orders'],
    ['arn:aws:sns:eu-west-1:123456789012:orders.fifo', 'orders.fifo'],
    ['arn:aws:sns:eu-west-1:123456789012:endpoint/APNS/app/abc', undefined],
    ['arn:aws:sqs:eu-west-1:123456789012:orders', undefined],
    ['+15550100', undefined],
    ['', undefined],
    [42, undefined],
  ])('the topic name of %j is %j', (arn, name) => {
    expect(snsTopicNameFromArn(arn)).toBe(name);
  });

  it('leaves out what is not known', () => {
    expect(snsAttributes({})).toEqual({});
    expect(snsAttributes({ topicArn: 'arn:aws:sns:r:1:t', requestId: 'q', region: 'r' })).toEqual({
      'aws.sns.topic.arn': 'arn:aws:sns:r:1:t',
      'aws.request_id': 'q',
      'cloud.region': 'r',
    });
  });
});
