/**
 * Builds a value on first use and keeps it; a failed build is not kept, so the next use tries again.
 * The Lambda's rarely needed clients (Q Business, CloudTrail, SNS) load this way, in chunks of their own.
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
