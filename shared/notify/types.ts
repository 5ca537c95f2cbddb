import type { Alert } from '../alerts/model';

/** `new` for the first message of an incident, `update` for every later one. */
export type PublishKind = 'new' | 'update';

/** Where alerts go: SNS in Lambda, stdout in the CLI. Throws when the alert could not be delivered. */
export interface Notifier {
  publish(alert: Alert, kind: PublishKind): Promise<void>;
}
