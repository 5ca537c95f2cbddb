import type { Alert } from '../alerts/model';

/**
 * `new` for the first message of an incident, `update` for every later one; `enrichment` for the message that
 * brings the playbook answer and principal context after a first message or page sent without them.
 */
export type PublishKind = 'new' | 'update' | 'enrichment';

/** The alerts topic gets every message; the paging topic the pages and the page-cap summary. */
export type Route = 'alerts' | 'paging';

/**
 * One SNS message. `id` is stable across retries (derived from the alert, its update number, the kind and the
 * route): the delivery record is kept under it, and subscribers get it in the body to drop a repeat.
 */
export interface OutgoingMessage {
  readonly id: string;
  readonly route: Route;
  readonly alert: Alert;
  readonly kind: PublishKind;
}

/** Where alerts go: SNS in Lambda, stdout in the CLI. Throws when the message could not be delivered. */
export interface Notifier {
  send(message: OutgoingMessage): Promise<void>;
}
