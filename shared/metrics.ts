/** Counters the pipeline reports. Lambda maps them to CloudWatch EMF; replay prints them in its summary. */
export const METRIC_NAMES = [
  'EventsIn',
  'EventsRejected',
  'EventsPassedOver',
  'DuplicatesSuppressed',
  'SelfEventsIgnored',
  'AlertsPublished',
  'AlertUpdatesPublished',
  /** Closing updates sent by the incident sweep (shared/engine/sweep.ts). */
  'IncidentsClosed',
  'Pages',
  'PagesSuppressedByCap',
  'PublishFailures',
  'RecordsRetried',
  'EnrichmentAnswered',
  'EnrichmentFailed',
  'EnrichmentCircuitOpen',
  /** Answer-and-context messages sent after a page-first alert, and those that could not be (the alert stands without). */
  'EnrichmentUpdatesPublished',
  'EnrichmentUpdateFailures',
  'EventIdReused',
  'DeliveryRecordFailures',
  /** An optional feature (enrichment, context) was turned off at cold start because its settings are wrong. */
  'ConfigDegraded',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export interface MetricsSink {
  count(name: MetricName, value?: number): void;
}

export class CountingMetrics implements MetricsSink {
  readonly counts = new Map<MetricName, number>();
  count(name: MetricName, value = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + value);
  }
  get(name: MetricName): number {
    return this.counts.get(name) ?? 0;
  }
}
