import type { EventSample } from '../../../shared/alerts/model';
import { SeenEvents } from '../../../shared/engine/seen-events';

const SAMPLE: EventSample = {
  eventId: 'a',
  eventName: 'DeleteIndex',
  eventTime: '2026-11-20T14:00:00Z',
  resourceArns: [],
};

describe('SeenEvents', () => {
  test('remembers the digest of an id, and its sample only when given one', () => {
    const seen = new SeenEvents();

    seen.remember('a', 0, 'digest-a', SAMPLE);
    seen.remember('b', 1, 'digest-b');

    expect(seen.get('a')).toEqual({ digest: 'digest-a', sample: SAMPLE });
    expect(seen.get('b')).toEqual({ digest: 'digest-b' });
    expect(seen.get('c')).toBeUndefined();
  });

  test('forgets the ids first seen before the cutoff, and only those', () => {
    const seen = new SeenEvents();
    for (let i = 0; i < 10_000; i += 1) seen.remember(`id-${i}`, i * 1000, `digest-${i}`);

    seen.forgetBefore(6_000 * 1000);
    seen.forgetBefore(9_000 * 1000);

    expect(seen.get('id-8999')).toBeUndefined();
    expect(seen.get('id-9000')).toEqual({ digest: 'digest-9000' });
    expect(seen.get('id-9999')).toEqual({ digest: 'digest-9999' });
  });
});
