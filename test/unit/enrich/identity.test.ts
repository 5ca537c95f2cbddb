import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTokenWithIAMCommand, SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { fixedClock } from '../../../shared/clock';
import {
  createIdentityCenterCredentials,
  IdentityCredentialsError,
  identityContextOf,
  type IdentityCenterAuth,
} from '../../../shared/enrich';
import { startHttpStub, type HttpStub } from '../../support/http-stub';

const NOW = Date.parse('2026-05-01T10:00:00Z');
const secrets = mockClient(SecretsManagerClient);
const oidc = mockClient(SSOOIDCClient);
const sts = mockClient(STSClient);

function jwt(claims: object): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.signature`;
}

describe('identity-center credentials', () => {
  let idp: HttpStub;
  let auth: IdentityCenterAuth;

  beforeAll(async () => {
    idp = await startHttpStub(() => ({
      status: 200,
      body: JSON.stringify({ access_token: 'idp-token', token_type: 'Bearer', expires_in: 3600 }),
    }));
    auth = {
      mode: 'identity-center',
      idcApplicationArn: 'arn:aws:sso::111122223333:application/ssoins-1/apl-1',
      identityRoleArn: 'arn:aws:iam::111122223333:role/q-triage-identity',
      idpTokenUrl: `${idp.endpoint}/oauth2/token`,
      idpClientId: 'q-triage',
      idpClientSecretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:idp',
    };
  });
  afterAll(async () => {
    await idp.close();
  });
  beforeEach(() => {
    secrets.reset();
    oidc.reset();
    sts.reset();
    idp.requests.length = 0;
    idp.setHandler(() => ({ status: 200, body: JSON.stringify({ access_token: 'idp-token' }) }));
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ client_secret: 's3cret' }) });
    oidc
      .on(CreateTokenWithIAMCommand)
      .resolves({ idToken: jwt({ sub: 'svc', 'sts:identity_context': 'ctx-assertion' }), accessToken: 'a' });
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIA1',
        SecretAccessKey: 'sk',
        SessionToken: 'st',
        Expiration: new Date(NOW + 3600_000),
      },
    });
  });

  const provider = (clock = fixedClock(NOW)) =>
    createIdentityCenterCredentials({
      auth,
      secrets: new SecretsManagerClient({}),
      oidc: new SSOOIDCClient({}),
      sts: new STSClient({}),
      clock,
    });

  test('asks the IdP for a client-credentials token with the secret from Secrets Manager', async () => {
    await provider()();

    expect(idp.requests[0]?.body).toBe('grant_type=client_credentials');
    expect(idp.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('q-triage:s3cret').toString('base64')}`);
  });

  test('exchanges the IdP token with the jwt-bearer grant for the Identity Center application', async () => {
    await provider()();

    expect(oidc.commandCalls(CreateTokenWithIAMCommand)[0]?.args[0].input).toEqual({
      clientId: auth.idcApplicationArn,
      grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: 'idp-token',
    });
  });

  test('assumes the identity role with the identity context from the idToken', async () => {
    const credentials = await provider()();

    const input = sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input;
    expect(input?.RoleArn).toBe(auth.identityRoleArn);
    expect(input?.ProvidedContexts).toEqual([
      { ProviderArn: 'arn:aws:iam::aws:contextProvider/IdentityCenter', ContextAssertion: 'ctx-assertion' },
    ]);
    expect(credentials).toMatchObject({ accessKeyId: 'ASIA1', sessionToken: 'st' });
  });

  test('reuses the credentials until five minutes before they expire', async () => {
    const clock = fixedClock(NOW);
    const get = provider(clock);
    await get();
    await get();
    clock.advance(56 * 60_000);

    await get();

    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  test('fails with IdentityCredentialsError when the IdP refuses', async () => {
    idp.setHandler(() => ({ status: 401, body: '{"error":"invalid_client"}' }));

    await expect(provider()()).rejects.toBeInstanceOf(IdentityCredentialsError);
  });

  test('reads the sts:identity_context claim of a JWT', () => {
    expect(identityContextOf(jwt({ 'sts:identity_context': 'abc' }))).toBe('abc');
  });

  test('rejects an idToken without the claim', () => {
    expect(() => identityContextOf(jwt({ sub: 'x' }))).toThrow(IdentityCredentialsError);
  });
});
