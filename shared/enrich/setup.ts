/** Wires the configured answer source: the Q Business client with the right credentials for the auth mode. */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import type { STSClient } from '@aws-sdk/client-sts';
import type { Clock } from '../clock';
import type { QBusinessSettings } from './config';
import { createIdentityCenterCredentials, type FetchLike } from './identity';
import { createQBusinessClient, createQBusinessSource } from './qbusiness';
import type { AnswerSource } from './types';

export interface QBusinessWiring {
  readonly clock: Clock;
  /** Needed for identity-center mode only; created once per container by the caller. */
  readonly secrets?: Pick<SecretsManagerClient, 'send'>;
  readonly oidc?: Pick<SSOOIDCClient, 'send'>;
  readonly sts?: Pick<STSClient, 'send'>;
  readonly fetch?: FetchLike;
  /** Tests and the bench point the client at a local stub. */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export function createQBusinessSourceFromConfig(settings: QBusinessSettings, wiring: QBusinessWiring): AnswerSource {
  const { auth } = settings;
  const credentials = wiring.credentials;
  if (auth.mode === 'identity-center') {
    if (wiring.secrets === undefined || wiring.oidc === undefined || wiring.sts === undefined) {
      throw new TypeError('identity-center mode needs Secrets Manager, SSO OIDC and STS clients');
    }
    const provider = createIdentityCenterCredentials({
      auth,
      secrets: wiring.secrets,
      oidc: wiring.oidc,
      sts: wiring.sts,
      clock: wiring.clock,
      ...(wiring.fetch !== undefined ? { fetch: wiring.fetch } : {}),
    });
    const client = createQBusinessClient({
      region: settings.region,
      credentials: provider,
      ...(wiring.endpoint !== undefined ? { endpoint: wiring.endpoint } : {}),
    });
    return createQBusinessSource({
      client,
      applicationId: settings.applicationId,
      chatMode: settings.chatMode,
      ...(settings.attributeFilter ? { attributeFilter: settings.attributeFilter } : {}),
    });
  }
  const client = createQBusinessClient({
    region: settings.region,
    ...(wiring.endpoint !== undefined ? { endpoint: wiring.endpoint } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
  });
  return createQBusinessSource({
    client,
    applicationId: settings.applicationId,
    chatMode: settings.chatMode,
    ...(settings.attributeFilter ? { attributeFilter: settings.attributeFilter } : {}),
  });
}
