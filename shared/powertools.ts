/**
 * The Lambda functions' logger and metrics, one of each per container. Powertools configures them from the
 * environment the stack sets, and reads it itself: POWERTOOLS_SERVICE_NAME (the `service` log key and the
 * metrics dimension the alarms select), POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_LOG_LEVEL (Lambda's own
 * AWS_LAMBDA_LOG_LEVEL, when advanced logging controls set it, comes first), POWERTOOLS_METRICS_DISABLED.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { createLogger } from './logger';
import type { MetricsSink } from './metrics';

export const logger = createLogger();
export const metrics = new Metrics();

/** The pipeline's counters (shared/metrics.ts) as EMF counts. */
export const metricsSink: MetricsSink = {
  count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value),
};

export { MetricUnit };
