import { fixedClock } from '../../../shared/clock';
import { createDelivery, DeliveryInProgressError, messageIdOf } from '../../../shared/engine/delivery';
import { createLogger } from '../../../shared/logger';
import { CountingMetrics } from '../../../shared/metrics';
import type { OutgoingMessage } from '../../../shared/notify/types';
import { MemoryStateStore } from '../../../shared/state';
import { recordingNotifier, T0 } from '../../support/pipeline';
import { makeAlert } from '../../support/alerts';

const HOUR = 3_600_000;

function setup(pagesPerHour = 2) {
  const store = new MemoryStateStore();
  const notifier = recordingNotifier();
  const clock = fixedClock(T0);
  const metrics = new CountingMetrics();
  const delivery = createDelivery({
    store,
    notifier,
    clock,
    logger: createLogger({ silent: true }),
    metrics,
    pagesPerHour,
    sleep: async () => undefined,
  });
  return { store, notifier, clock, metrics, delivery };
}

const alertMessage = (id = 'a-1'): OutgoingMessage => {
  const alert = makeAlert({ id, severity: 'HIGH' });
  return { id: messageIdOf(alert, 'new', 'alerts'), route: 'alerts', alert, kind: 'new' };
};

describe('delivery: each message once', () => {
  test('a message sent before is not sent again', async () => {
    const { delivery, notifier } = setup();

    expect(await delivery.sendOnce(alertMessage())).toBe('sent');
    expect(await delivery.sendOnce(alertMessage())).toBe('already');
    expect(notifier.messages).toHaveLength(1);
  });

  test('a failed send gives the claim back, so the retry sends at once', async () => {
    const { delivery, notifier } = setup();
    notifier.failNext = 1;

    await expect(delivery.sendOnce(alertMessage())).rejects.toThrow('SNS is down');
    expect(await delivery.sendOnce(alertMessage())).toBe('sent');
  });

  test('a message another invocation is sending is left to it', async () => {
    const { delivery, store, clock } = setup();
    await store.claimDelivery(alertMessage().id, clock.now(), 60_000);

    await expect(delivery.sendOnce(alertMessage())).rejects.toBeInstanceOf(DeliveryInProgressError);
  });

  test('a claim whose holder died is taken over after its lease', async () => {
    const { delivery, store, clock, notifier } = setup();
    await store.claimDelivery(alertMessage().id, clock.now(), 60_000);
    clock.advance(60_001);

    expect(await delivery.sendOnce(alertMessage())).toBe('sent');
    expect(notifier.messages).toHaveLength(1);
  });

  test('the delivered mark failing after the send does not fail the message (it would be sent again)', async () => {
    const { delivery, store, metrics } = setup();
    store.markDelivered = async () => {
      throw new Error('ProvisionedThroughputExceededException');
    };

    expect(await delivery.sendOnce(alertMessage())).toBe('sent');
    expect(metrics.get('DeliveryRecordFailures')).toBe(1);
  });

  test('update message ids differ by update number; the same alert state keeps its id', () => {
    const alert = makeAlert({ id: 'a-1', updates: 1 });

    expect(messageIdOf(alert, 'update', 'alerts')).toBe(messageIdOf({ ...alert, count: 99 }, 'update', 'alerts'));
    expect(messageIdOf(alert, 'update', 'alerts')).not.toBe(messageIdOf({ ...alert, updates: 2 }, 'update', 'alerts'));
    expect(messageIdOf(alert, 'new', 'alerts')).not.toBe(messageIdOf(alert, 'new', 'paging'));
  });
});

describe('delivery: the page cap counts delivered pages in the hour of sending', () => {
  test('a failed page gives its slot back', async () => {
    const { delivery, notifier } = setup(1);
    const first = makeAlert({ id: 'a-1', severity: 'HIGH' });
    const second = makeAlert({ id: 'a-2', severity: 'HIGH' });
    notifier.failNext = 1;

    const decision = await delivery.decidePage(first, T0);
    await expect(delivery.sendPage(decision, first)).rejects.toThrow();
    const next = await delivery.decidePage(second, T0);

    expect(next.paged).toBe(true);
  });

  test('past the cap: not paged, and one summary on each topic, once per hour', async () => {
    const { delivery, notifier } = setup(1);
    const alerts = ['a-1', 'a-2', 'a-3'].map((id) => makeAlert({ id, severity: 'HIGH' }));

    const decisions = [];
    for (const alert of alerts) decisions.push(await delivery.decidePage(alert, T0));

    expect(decisions.map((decision) => decision.paged)).toEqual([true, false, false]);
    expect(notifier.pages.map((message) => message.alert.rule)).toEqual(['page-cap']);
    expect(notifier.messages.map((message) => message.alert.rule)).toEqual(['page-cap']);
  });

  test('a summary that failed is sent by the next alert over the cap', async () => {
    const { delivery, notifier } = setup(0);
    notifier.failNext = 1;

    await expect(delivery.decidePage(makeAlert({ id: 'a-1', severity: 'HIGH' }), T0)).rejects.toThrow();
    await delivery.decidePage(makeAlert({ id: 'a-2', severity: 'HIGH' }), T0);

    expect(notifier.pages.map((message) => message.alert.rule)).toEqual(['page-cap']);
  });

  test('the next hour has its own cap', async () => {
    const { delivery } = setup(1);

    await delivery.decidePage(makeAlert({ id: 'a-1', severity: 'HIGH' }), T0);
    const later = await delivery.decidePage(makeAlert({ id: 'a-2', severity: 'HIGH' }), T0 + HOUR);

    expect(later.paged).toBe(true);
  });

  test('a page delivered before stays paged and takes no slot', async () => {
    const { delivery } = setup(1);
    const alert = makeAlert({ id: 'a-1', severity: 'HIGH' });
    await delivery.sendPage(await delivery.decidePage(alert, T0), alert);

    const retried = await delivery.decidePage(alert, T0 + HOUR);
    const other = await delivery.decidePage(makeAlert({ id: 'a-2', severity: 'HIGH' }), T0 + HOUR);

    expect(retried).toMatchObject({ paged: true, delivered: true });
    expect(other.paged).toBe(true);
  });
});
