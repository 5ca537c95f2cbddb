import { CloudTrailClient, type CloudTrailClientConfig } from '@aws-sdk/client-cloudtrail';

/**
 * The CloudTrail client for LookupEvents: one attempt per send, so every HTTP request passes through
 * the shared rate limiter and counts against the per-alert budget (the provider does its own back-off).
 */
export function createLookupClient(config: CloudTrailClientConfig = {}): CloudTrailClient {
  return new CloudTrailClient({ ...config, maxAttempts: 1 });
}
