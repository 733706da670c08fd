import { TEAMS_CONTEXT, teamsFromContext } from '../../lib/team-context';

const reading = (value: unknown) => (key: string) => (key === TEAMS_CONTEXT ? value : undefined);

describe('the teams context key of the app', () => {
  test.each([undefined, null, '', '  '])('given %p, then there are no team units', (value) => {
    expect(teamsFromContext(reading(value))).toBeUndefined();
  });

  test('given JSON from the command line, then each team reaches the stack with its secret name and concurrency', () => {
    const teams = teamsFromContext(
      reading(
        '{"web-shop":{"tokenSecretName":"droplet-scheduler/web-shop-token","initiateConcurrency":4},"data":{"tokenSecretName":"teams/data"}}',
      ),
    );
    expect(teams).toEqual({
      'web-shop': { tokenSecretName: 'droplet-scheduler/web-shop-token', initiateConcurrency: 4 },
      data: { tokenSecretName: 'teams/data' },
    });
  });

  test('given an object from cdk.json, then it is read the same way', () => {
    expect(teamsFromContext(reading({ data: { tokenSecretName: 'teams/data' } }))).toEqual({
      data: { tokenSecretName: 'teams/data' },
    });
  });

  test.each([
    [
      'not JSON',
      '{web-shop: {}}',
      /^-c teams: expected JSON of teams by name, such as \{"web-shop".*\}, got: '\{web-shop: \{\}\}'$/,
    ],
    ['a list', '["web-shop"]', /^-c teams: expected an object of teams by name, .*got: \["web-shop"\]$/],
    [
      'a bad team name',
      '{"Web_Shop":{"tokenSecretName":"x"}}',
      /^-c teams: expected each key to be a team name .*, got: 'Web_Shop'$/,
    ],
    [
      'the default team',
      '{"default":{"tokenSecretName":"x"}}',
      /^-c teams: expected each key to be a team name .*not "default".*, got: 'default'$/,
    ],
    [
      'a team that is a string',
      '{"data":"teams/data"}',
      /^-c teams: data: expected an object with tokenSecretName .*, got: 'teams\/data'$/,
    ],
    [
      'a misspelled field',
      '{"data":{"tokenSecret":"teams/data"}}',
      /^-c teams: data\.tokenSecret: expected only the fields tokenSecretName and initiateConcurrency, got: 'tokenSecret'$/,
    ],
    [
      'no secret name',
      '{"data":{"initiateConcurrency":2}}',
      /^-c teams: data\.tokenSecretName: expected the name of a Secrets Manager secret .*, got: undefined$/,
    ],
    [
      'a secret name with a space',
      '{"data":{"tokenSecretName":"teams data"}}',
      /^-c teams: data\.tokenSecretName: expected .*, got: 'teams data'$/,
    ],
    [
      'a concurrency as text',
      '{"data":{"tokenSecretName":"d","initiateConcurrency":"4"}}',
      /^-c teams: data\.initiateConcurrency: expected a whole number from 2 to 1000, got: '4'$/,
    ],
    [
      'a concurrency of 1',
      '{"data":{"tokenSecretName":"d","initiateConcurrency":1}}',
      /^-c teams: data\.initiateConcurrency: expected a whole number from 2 to 1000, got: 1$/,
    ],
  ])(
    'given %s, then it is refused with one message naming the key, the value and what was expected',
    (_case, value, message) => {
      expect(() => teamsFromContext(reading(value))).toThrow(message);
    },
  );
});
