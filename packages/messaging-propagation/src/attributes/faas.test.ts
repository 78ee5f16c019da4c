import { lambdaInvocationAttributes } from './faas';

describe('lambdaInvocationAttributes', () => {
  it('names the trigger and provider, and the invocation facts that are known', () => {
    expect(
      lambdaInvocationAttributes({
        invocationId: 'req-1',
        functionName: 'fn',
        functionVersion: '$LATEST',
        functionArn: 'arn:aws:lambda:eu-west-1:1:function:fn',
        region: 'eu-west-1',
        coldStart: false,
      }),
    ).toEqual({
      'faas.trigger': 'pubsub',
      'cloud.provider': 'aws',
      'faas.invocation.id': 'req-1',
      'faas.name': 'fn',
      'faas.version': '$LATEST',
      'cloud.resource_id': 'arn:aws:lambda:eu-west-1:1:function:fn',
      'cloud.region': 'eu-west-1',
      'faas.coldstart': false,
    });
    expect(lambdaInvocationAttributes({})).toEqual({ 'faas.trigger': 'pubsub', 'cloud.provider': 'aws' });
  });
});
