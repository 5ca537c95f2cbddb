import { eventLinks } from '../../../shared/alerts/event-links';

describe('eventLinks', () => {
  test('gives the console page and the lookup-events command of a management event', () => {
    expect(eventLinks('5cb7dd4c-548e-588e-8006-4631f75f591b', 'eu-west-1', false)).toEqual({
      console:
        'https://eu-west-1.console.aws.amazon.com/cloudtrailv2/home?region=eu-west-1#/events/5cb7dd4c-548e-588e-8006-4631f75f591b',
      lookupCommand:
        'aws cloudtrail lookup-events --region eu-west-1 --lookup-attributes AttributeKey=EventId,AttributeValue=5cb7dd4c-548e-588e-8006-4631f75f591b',
    });
  });

  test('gives none for a data event: Event history and LookupEvents never hold them', () => {
    expect(eventLinks('5cb7dd4c-548e-588e-8006-4631f75f591b', 'us-east-1', true)).toBeUndefined();
  });

  test.each([
    ['an id with shell syntax', 'e-1; rm -rf ~', 'us-east-1'],
    ['an id with a URL fragment', 'e-1#/x?y=1', 'us-east-1'],
    ['a Region that is a host name', '5cb7dd4c', 'evil.example/'],
    ['a Region with a space', '5cb7dd4c', 'us-east-1 --profile prod'],
    ['no Region', '5cb7dd4c', undefined],
  ])('gives none for %s (a forged record cannot write into a link or a command)', (_name, eventId, region) => {
    expect(eventLinks(eventId, region, false)).toBeUndefined();
  });
});
