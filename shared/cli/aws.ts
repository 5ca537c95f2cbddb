/**
 * What the AWS commands (resync, doctor, redrive) check before their first call, and how they explain a
 * refused one: one line each, in the AWS CLI's words, instead of the same failure once per check.
 */
import { AwsSetupError } from './command';
import { errorMessage } from '../errors';

/** Any SDK v3 client: its resolved configuration holds the Region and credential providers it will use. */
export interface AwsClientConfig {
  readonly config: { region: () => Promise<string>; credentials: () => Promise<unknown> };
}

/** The Region of an ARN (`arn:partition:service:region:account:resource`); undefined for a global one. */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region === undefined || region === '' ? undefined : region;
}

/**
 * Resolves the Region and the credentials as the client will on its first call (the default provider chain:
 * environment, profile, SSO, container, instance). Returns the Region.
 */
export async function checkAwsSetup(client: AwsClientConfig): Promise<string> {
  let resolved: string;
  try {
    resolved = await client.config.region();
  } catch {
    throw new AwsSetupError(
      'You must specify a region: --region, AWS_REGION, or a region in your AWS profile ("aws configure").',
    );
  }
  try {
    await client.config.credentials();
  } catch (error) {
    const detail =
      error instanceof Error && !/could not load credentials from any providers/i.test(error.message)
        ? ` (${error.message.split('\n')[0]})`
        : '';
    throw new AwsSetupError(
      `Unable to locate credentials${detail}. You can configure credentials by running "aws configure".`,
    );
  }
  return resolved;
}

const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthorizationErrorException',
  'KMS.AccessDeniedException',
]);

export function isAccessDenied(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return DENIED.has(error.name) || status === 403;
}

/** A refused call named by its IAM action and resource, with AWS's own reason (which may name the policy that denied it). */
export function deniedCallError(error: unknown, action: string, resource: string): Error {
  const reason = errorMessage(error).split('\n')[0];
  return new Error(
    `access denied: ${action} on ${resource}: allow it to the identity you run as (AWS said: ${reason})`,
    { cause: error },
  );
}
