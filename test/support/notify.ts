/** Notifier helpers for tests. */
import type { Alert } from '../../shared/alerts/model';
import type { Notifier, PublishKind } from '../../shared/notify/types';

/** A notifier's alerts-topic route as `publish(alert, kind)`, with message ids msg-1, msg-2… in call order. */
export function onAlertsTopic(notifier: Notifier): { publish(alert: Alert, kind: PublishKind): Promise<void> } {
  let sent = 0;
  return {
    publish: (alert, kind) => {
      sent += 1;
      return notifier.send({ id: `msg-${sent}`, route: 'alerts', alert, kind });
    },
  };
}
