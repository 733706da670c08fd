import { Match } from 'aws-cdk-lib/assertions';
import { synthScheduler } from './support/synth-scheduler';

describe('the token rate limit shares', () => {
  test.each([
    [2, '0.4'],
    [4, '0.2'],
  ])(
    'given initiateConcurrency %i, then each initiate instance paces at %s of the token limits',
    (initiateConcurrency, share) => {
      const { template } = synthScheduler({ initiateConcurrency });

      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('start one DigitalOcean action'),
        Environment: { Variables: Match.objectLike({ DIGITALOCEAN_RATE_SHARE: share }) },
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('follow open actions'),
        Environment: { Variables: Match.objectLike({ DIGITALOCEAN_RATE_SHARE: '1' }) },
      });
    },
  );
});
