import { EnrichConfigError, parseEnrichConfig } from '../../../shared/enrich';

const BASE = { QBUSINESS_APPLICATION_ID: 'a1b2c3d4-0000-1111-2222-333344445555', AWS_REGION: 'us-east-1' };
const IDC = {
  ...BASE,
  QBUSINESS_AUTH_MODE: 'identity-center',
  IDC_APPLICATION_ARN: 'arn:aws:sso::111122223333:application/ssoins-1/apl-1',
  QBUSINESS_IDENTITY_ROLE_ARN: 'arn:aws:iam::111122223333:role/q-triage-identity',
  IDP_TOKEN_URL: 'https://idp.example.com/oauth2/token',
  IDP_CLIENT_ID: 'q-triage',
  IDP_CLIENT_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:idp-abc',
};

function settingOf(env: Record<string, string>): string | undefined {
  try {
    parseEnrichConfig(env);
    return undefined;
  } catch (error) {
    return error instanceof EnrichConfigError ? error.setting : 'not an EnrichConfigError';
  }
}

describe('parseEnrichConfig', () => {
  test('defaults to anonymous auth, RETRIEVAL_MODE, a 3 s budget and a week of TTL', () => {
    const config = parseEnrichConfig(BASE);

    expect(config.qbusiness?.auth.mode).toBe('anonymous');
    expect(config.qbusiness?.chatMode).toBe('RETRIEVAL_MODE');
    expect(config.budgetMs).toBe(3000);
    expect(config.answerTtlSeconds).toBe(168 * 3600);
  });

  test('turns enrichment off with ENRICH_SOURCE=none and needs nothing else', () => {
    expect(parseEnrichConfig({ ENRICH_SOURCE: 'none' }).source).toBe('none');
  });

  test('reads the playbook mirror buckets for ENRICH_SOURCE=playbooks, an empty one as unset', () => {
    const config = parseEnrichConfig({
      ENRICH_SOURCE: 'playbooks',
      AWS_PLAYBOOKS_BUCKET: 'aws-playbooks',
      CUSTOM_PLAYBOOKS_BUCKET: '',
    });

    expect(config.playbooks).toEqual({ awsBucket: 'aws-playbooks' });
    expect(config.qbusiness).toBeUndefined();
  });

  test('names AWS_PLAYBOOKS_BUCKET when ENRICH_SOURCE=playbooks has no bucket', () => {
    expect(settingOf({ ENRICH_SOURCE: 'playbooks', AWS_PLAYBOOKS_BUCKET: '' })).toBe('AWS_PLAYBOOKS_BUCKET');
  });

  test('reads a Bedrock knowledge base with a model ARN, and without one (Retrieve alone)', () => {
    const model = 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0';

    expect(
      parseEnrichConfig({
        ENRICH_SOURCE: 'bedrock-kb',
        BEDROCK_KNOWLEDGE_BASE_ID: 'KBQTRIAGE1',
        BEDROCK_MODEL_ARN: model,
        AWS_REGION: 'us-east-1',
      }).bedrockKb,
    ).toEqual({
      knowledgeBaseId: 'KBQTRIAGE1',
      modelArn: model,
      region: 'us-east-1',
    });
    expect(
      parseEnrichConfig({
        ENRICH_SOURCE: 'bedrock-kb',
        BEDROCK_KNOWLEDGE_BASE_ID: 'KBQTRIAGE1',
        BEDROCK_MODEL_ARN: '',
        AWS_REGION: 'us-east-1',
      }).bedrockKb?.modelArn,
    ).toBeUndefined();
  });

  test('names the Bedrock setting that is missing or malformed', () => {
    expect(settingOf({ ENRICH_SOURCE: 'bedrock-kb', AWS_REGION: 'us-east-1' })).toBe('BEDROCK_KNOWLEDGE_BASE_ID');
    expect(
      settingOf({
        ENRICH_SOURCE: 'bedrock-kb',
        BEDROCK_KNOWLEDGE_BASE_ID: 'arn:aws:bedrock:kb',
        AWS_REGION: 'us-east-1',
      }),
    ).toBe('BEDROCK_KNOWLEDGE_BASE_ID');
    expect(
      settingOf({
        ENRICH_SOURCE: 'bedrock-kb',
        BEDROCK_KNOWLEDGE_BASE_ID: 'KBQTRIAGE1',
        BEDROCK_MODEL_ARN: 'amazon.nova-micro-v1:0',
        AWS_REGION: 'us-east-1',
      }),
    ).toBe('BEDROCK_MODEL_ARN');
  });

  test('names QBUSINESS_APPLICATION_ID when it is missing', () => {
    expect(settingOf({ AWS_REGION: 'us-east-1' })).toBe('QBUSINESS_APPLICATION_ID');
  });

  test.each([
    'IDC_APPLICATION_ARN',
    'QBUSINESS_IDENTITY_ROLE_ARN',
    'IDP_TOKEN_URL',
    'IDP_CLIENT_ID',
    'IDP_CLIENT_SECRET_ARN',
  ] as const)('names %s when identity-center mode lacks it', (setting) => {
    const env: Record<string, string> = { ...IDC };
    delete env[setting];
    expect(settingOf(env)).toBe(setting);
  });

  test('accepts a complete identity-center section', () => {
    expect(parseEnrichConfig(IDC).qbusiness?.auth).toMatchObject({ mode: 'identity-center', idpClientId: 'q-triage' });
  });

  test('names QBUSINESS_ATTRIBUTE_FILTER when it is not JSON', () => {
    expect(settingOf({ ...BASE, QBUSINESS_ATTRIBUTE_FILTER: '{equalsTo:' })).toBe('QBUSINESS_ATTRIBUTE_FILTER');
  });

  test('names QBUSINESS_ATTRIBUTE_FILTER when it is JSON but not a filter', () => {
    expect(settingOf({ ...BASE, QBUSINESS_ATTRIBUTE_FILTER: '{"dataSource":"x"}' })).toBe('QBUSINESS_ATTRIBUTE_FILTER');
  });

  test('passes a valid attribute filter through', () => {
    const filter = { equalsTo: { name: '_data_source_id', value: { stringValue: 'ds-1' } } };
    expect(
      parseEnrichConfig({ ...BASE, QBUSINESS_ATTRIBUTE_FILTER: JSON.stringify(filter) }).qbusiness?.attributeFilter,
    ).toEqual(filter);
  });

  test.each([
    ['QBUSINESS_AUTH_MODE', 'iam'],
    ['QBUSINESS_CHAT_MODE', 'PLUGIN_MODE'],
    ['ENRICH_SOURCE', 'kendra'],
    ['ENRICH_BUDGET_MS', '-5'],
    ['ALERT_LOCALE', 'pt'],
  ])('names %s when its value %s is not allowed', (setting, value) => {
    expect(settingOf({ ...BASE, [setting]: value })).toBe(setting);
  });

  test('names QBUSINESS_REGION when no region is known', () => {
    expect(settingOf({ QBUSINESS_APPLICATION_ID: 'app' })).toBe('QBUSINESS_REGION');
  });
});
