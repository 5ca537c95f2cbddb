/**
 * Identity-aware credentials for an IAM Identity Center Q Business application (trusted identity
 * propagation), for a service identity of our IdP:
 *   1. OAuth2 client-credentials grant at IDP_TOKEN_URL (client secret from Secrets Manager) → IdP token;
 *   2. sso-oidc CreateTokenWithIAM (jwt-bearer grant, clientId = IDC_APPLICATION_ARN) → IAM Identity Center idToken;
 *   3. its `sts:identity_context` claim → sts AssumeRole on QBUSINESS_IDENTITY_ROLE_ARN with ProvidedContexts;
 *   4. those temporary credentials sign ChatSync. Refreshed before they expire.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTokenWithIAMCommand, type SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import * as z from 'zod/mini';
import type { Clock } from '../clock';
import type { IdentityCenterAuth } from './config';
import { IdentityCredentialsError } from './errors';
import type { AwsCredentials, CredentialsProvider } from './qbusiness';
import { errorName } from '../errors';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const IDENTITY_CENTER_CONTEXT_PROVIDER = 'arn:aws:iam::aws:contextProvider/IdentityCenter';
/** Refresh this long before expiry so that an in-flight ChatSync never signs with dying credentials. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}>;

export interface IdentityCredentialsDeps {
  readonly auth: IdentityCenterAuth;
  readonly secrets: Pick<SecretsManagerClient, 'send'>;
  readonly oidc: Pick<SSOOIDCClient, 'send'>;
  readonly sts: Pick<STSClient, 'send'>;
  readonly clock: Clock;
  readonly fetch?: FetchLike;
  /** Session name of the assumed identity role (appears in CloudTrail). */
  readonly sessionName?: string;
}

const tokenResponseSchema = z.object({ access_token: z.string().check(z.minLength(1)) });
const idTokenClaimsSchema = z.looseObject({ 'sts:identity_context': z.string().check(z.minLength(1)) });

/** The client secret is stored either as a plain string or as JSON with a `client_secret`/`clientSecret` key. */
function secretValue(secret: string): string {
  try {
    const parsed: unknown = JSON.parse(secret);
    if (typeof parsed === 'object' && parsed !== null) {
      const record = parsed as Record<string, unknown>;
      const value = record.client_secret ?? record.clientSecret;
      if (typeof value === 'string' && value !== '') return value;
    }
  } catch {
    // Not JSON: the whole string is the secret.
  }
  return secret;
}

/** Reads the `sts:identity_context` claim from a JWT's payload (the token came from AWS over TLS; not re-verified here). */
export function identityContextOf(idToken: string): string {
  const payload = idToken.split('.')[1];
  if (payload === undefined)
    throw new IdentityCredentialsError('CreateTokenWithIAM returned an idToken that is not a JWT');
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch (error) {
    throw new IdentityCredentialsError('CreateTokenWithIAM idToken payload is not JSON', { cause: error });
  }
  const parsed = idTokenClaimsSchema.safeParse(claims);
  if (!parsed.success)
    throw new IdentityCredentialsError('CreateTokenWithIAM idToken has no sts:identity_context claim');
  return parsed.data['sts:identity_context'];
}

export function createIdentityCenterCredentials(deps: IdentityCredentialsDeps): CredentialsProvider {
  const { auth, secrets, oidc, sts, clock } = deps;
  const fetchFn: FetchLike = deps.fetch ?? ((url, init) => fetch(url, init));
  let clientSecret: string | undefined;
  let current: AwsCredentials | undefined;
  let refreshing: Promise<AwsCredentials> | undefined;

  async function idpToken(): Promise<string> {
    if (clientSecret === undefined) {
      const secret = await secrets.send(new GetSecretValueCommand({ SecretId: auth.idpClientSecretArn }));
      if (secret.SecretString === undefined || secret.SecretString === '') {
        throw new IdentityCredentialsError(
          `secret ${auth.idpClientSecretArn} (IDP_CLIENT_SECRET_ARN) has no string value`,
        );
      }
      clientSecret = secretValue(secret.SecretString);
    }
    const response = await fetchFn(auth.idpTokenUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(auth.idpClientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
    });
    if (!response.ok) {
      // A rotated secret shows up as 400/401: read it again next time.
      if (response.status === 400 || response.status === 401) clientSecret = undefined;
      throw new IdentityCredentialsError(`IdP token request to IDP_TOKEN_URL failed with HTTP ${response.status}`);
    }
    const parsed = tokenResponseSchema.safeParse(await response.json());
    if (!parsed.success) throw new IdentityCredentialsError('IdP token response has no access_token');
    return parsed.data.access_token;
  }

  async function refresh(): Promise<AwsCredentials> {
    try {
      const assertion = await idpToken();
      const token = await oidc.send(
        new CreateTokenWithIAMCommand({ clientId: auth.idcApplicationArn, grantType: JWT_BEARER_GRANT, assertion }),
      );
      const context =
        token.awsAdditionalDetails?.identityContext ??
        (token.idToken !== undefined ? identityContextOf(token.idToken) : undefined);
      if (context === undefined)
        throw new IdentityCredentialsError('CreateTokenWithIAM returned neither an idToken nor an identity context');
      const role = await sts.send(
        new AssumeRoleCommand({
          RoleArn: auth.identityRoleArn,
          RoleSessionName: deps.sessionName ?? 'q-triage-enrichment',
          ProvidedContexts: [{ ProviderArn: IDENTITY_CENTER_CONTEXT_PROVIDER, ContextAssertion: context }],
        }),
      );
      const credentials = role.Credentials;
      if (credentials?.AccessKeyId === undefined || credentials.SecretAccessKey === undefined) {
        throw new IdentityCredentialsError(`AssumeRole on ${auth.identityRoleArn} returned no credentials`);
      }
      return {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        ...(credentials.SessionToken !== undefined ? { sessionToken: credentials.SessionToken } : {}),
        ...(credentials.Expiration !== undefined ? { expiration: credentials.Expiration } : {}),
      };
    } catch (error) {
      if (error instanceof IdentityCredentialsError) throw error;
      throw new IdentityCredentialsError(`identity-aware credentials failed: ${errorName(error, 'unknown error')}`, {
        cause: error,
      });
    }
  }

  const fresh = (credentials: AwsCredentials): boolean =>
    credentials.expiration === undefined || credentials.expiration.getTime() - REFRESH_MARGIN_MS > clock.now();

  return async () => {
    if (current !== undefined && fresh(current)) return current;
    // One refresh at a time: concurrent ChatSync calls share it.
    refreshing ??= refresh().finally(() => {
      refreshing = undefined;
    });
    current = await refreshing;
    return current;
  };
}
