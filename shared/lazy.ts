/**
 * Builds a value on first use and keeps it; a failed build is not kept, so the next use tries again.
 * What the Lambda needs only for alerts (the enricher; the Q Business, CloudTrail and SNS clients) loads this
 * way, in chunks of their own.
 */
export function lazy<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= build().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/**
 * Builds a value on the first call and keeps it. The zod schemas of paths most invocations never take (a rules
 * override, items read back from the cache or the activity log) are built this way: building a schema costs
 * about as much at a cold start as loading the code behind it.
 */
export function once<T>(build: () => T): () => T {
  let value: { readonly built: T } | undefined;
  return () => (value ??= { built: build() }).built;
}
