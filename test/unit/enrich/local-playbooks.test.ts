import { join } from 'node:path';
import {
  buildQuestion,
  createLocalPlaybookSource,
  indexSections,
  isCatalogue,
  NoAnswerError,
  rankSections,
  splitSections,
} from '../../../shared/enrich';
import type { AlertLocale } from '../../../shared/enrich';
import { isCredentialsPlaybook } from '../../../shared/enrich/local-playbooks';
import { alertFor } from '../../support/alerts';

const FIXTURES = join(__dirname, '../../fixtures/playbooks');
const signal = new AbortController().signal;

describe('local playbook source', () => {
  const source = createLocalPlaybookSource({ dir: FIXTURES });

  test('answers a plugin containment alert from the plugin containment section', async () => {
    const answer = await source.ask(buildQuestion(alertFor('playbook/CreatePlugin'), 'en'), { signal });

    expect(answer.citations[0]?.title).toBe('amazon-q-response.md › Plugins');
    expect(answer.citations[0]?.url).toBe('amazon-q-response.md#plugins');
    expect(answer.text.startsWith('Plugins\nDelete an unapproved plugin with DeletePlugin')).toBe(true);
  });

  test('returns at most three sections', async () => {
    const answer = await source.ask(buildQuestion(alertFor('playbook/CreatePlugin'), 'en'), { signal });

    expect(answer.citations.length).toBeLessThanOrEqual(3);
  });

  test('matches the operation name case-insensitively', async () => {
    const question = {
      ...buildQuestion(alertFor('playbook/DeleteDataAccessor', { category: 'data-accessor', phase: 'recovery' }), 'en'),
    };

    const answer = await source.ask({ ...question, operation: 'deletedataaccessor' }, { signal });

    expect(answer.text).toContain('DeleteDataAccessor');
  });

  test('answers from the German file for a German alert', async () => {
    const answer = await source.ask(buildQuestion(alertFor('playbook/CreatePlugin'), 'de'), { signal });

    expect(answer.citations[0]?.title).toBe('de/de.amazon-q-response.md › Plugins');
    expect(answer.text).toContain('Löschen Sie');
  });

  test('falls back to English when the German files do not cover the operation', async () => {
    const answer = await source.ask(
      buildQuestion(
        alertFor('playbook/UpdateChatControlsConfiguration', {
          category: 'guardrails',
          phase: 'containment-eradication',
        }),
        'de',
      ),
      { signal },
    );

    expect(answer.citations.every((citation) => !citation.title.startsWith('de/'))).toBe(true);
    expect(answer.text).toContain('UpdateChatControlsConfiguration');
  });

  test('reports no answer when no section is about the alert', async () => {
    const question = buildQuestion(alertFor('unclassified/FrobnicateWidget', { category: 'unclassified' }), 'en');

    await expect(source.ask({ ...question, category: 'subscription' }, { signal })).rejects.toBeInstanceOf(
      NoAnswerError,
    );
  });

  test('splits sections by heading and keeps the heading chain', () => {
    const sections = splitSections(
      'x.md',
      '# Top\n\n## Recovery\n### Plugins\nRecreate the plugin.\n```\n# not a heading\n```\n',
    );

    expect(sections.map((section) => section.headings.join(' > '))).toEqual(['Top > Recovery > Plugins']);
    expect(sections[0]?.body).toContain('# not a heading');
  });

  test('reads the locale from a file prefix', () => {
    expect(splitSections('fr.playbook.md', '# T\nbody')[0]?.locale).toBe('fr');
  });
});

/** A service playbook in the AWS corpus's shape: an event-name table, then one section per phase. */
const SERVICE_PLAYBOOK = [
  '# Responding to Amazon Q events',
  '## Detection and Analysis',
  '### Event Names',
  'Names found in CloudTrail during an investigation:',
  '| **Event Names** | **Description** |',
  '| :--- | :--- |',
  ...[
    'CreateApplication',
    'DeleteApplication',
    'CreateIndex',
    'DeleteIndex',
    'CreatePlugin',
    'DeletePlugin',
    'CreateUser',
    'DeleteUser',
    'PutGroup',
    'DeleteGroup',
    'ChatSync',
  ].map((name) => `| \`${name}\` | Grants permission to call ${name} |`),
  '### Analysis',
  '1. What resources were created and deleted during the incident?',
  '2. Which applications could the assistant reach?',
  '## Containment and Eradication',
  '* Delete unauthorized applications, plugins and users after recording their configuration.',
  '## Recovery',
  '* Recreate what was deleted from the infrastructure repository.',
].join('\n');

describe('ranking sections', () => {
  const ranked = (
    markdown: string,
    rule: string,
    phase: 'detection-analysis' | 'containment-eradication' | 'recovery',
    category = 'plugin' as const,
  ) =>
    // The question is built as for an alert, then asked for the phase under test (a table row fixes its own phase).
    rankSections(indexSections(splitSections('amazon-q.md', markdown)), {
      ...buildQuestion({ rule, category, phase }, 'en'),
      phase,
    }).map((section) => section.headings.join(' › '));

  test('answers from the phase section of the service playbook, not from its event-name table', () => {
    expect(ranked(SERVICE_PLAYBOOK, 'playbook/CreatePlugin', 'containment-eradication')[0]).toBe(
      'Responding to Amazon Q events › Containment and Eradication',
    );
  });

  test('ranks the event-name table after every section that says what to do', () => {
    const headings = ranked(SERVICE_PLAYBOOK, 'playbook/CreatePlugin', 'detection-analysis');

    expect(headings[0]).toBe('Responding to Amazon Q events › Detection and Analysis › Analysis');
    expect(headings.indexOf('Responding to Amazon Q events › Detection and Analysis › Event Names')).toBe(
      headings.length - 1,
    );
  });

  test('does not answer from a phase section of a playbook that is not about the service', () => {
    const other = ['# Ransomware on S3', '## Recovery', '* Restore objects from versioned buckets and backups.'].join(
      '\n',
    );

    expect(ranked(other, 'playbook/DeletePlugin', 'recovery')).toEqual([]);
  });

  test('counts a one-word operation name only when it is code-formatted', () => {
    const prose = [
      '# Notes',
      '## Detection and Analysis',
      'Amazon Q Chat runs on q.amazonaws.com; Chat and chat again, nothing to do here.',
    ].join('\n');
    const code = [
      '# Notes',
      '## Detection and Analysis',
      'A burst of `Chat` calls from one principal may be bulk collection.',
    ].join('\n');

    expect(ranked(prose, 'playbook/Chat', 'detection-analysis', 'conversation' as never)).toEqual([]);
    expect(ranked(code, 'playbook/Chat', 'detection-analysis', 'conversation' as never)).toEqual([
      'Notes › Detection and Analysis',
    ]);
  });
});

describe('isCatalogue', () => {
  test('is true for a table whose first column holds operation names', () => {
    expect(
      isCatalogue(
        '| **Event Names** | **Description** |\n| :--- | :--- |\n| `GetIndex` | Gets an index |\n| `ListIndices` | Lists |\n| `CreateIndex` | Creates |',
      ),
    ).toBe(true);
  });

  test('is true for a translated list that spells the names out as short labels', () => {
    const items = [
      'Starten Sie den DataSourceSyncJob',
      'BatchPut-Dokument',
      'Dokument stapelweise löschen',
      'Feedback geben',
      'Konversation löschen',
      'Gruppen auflisten',
      'Gruppe löschen',
      'Benutzer erstellen',
    ];

    expect(
      isCatalogue(
        ['**Amazon Q Anwendungen**: AWS: :QBusiness: :Anwendung', ...items.map((item) => `* ${item}`)].join('\n'),
      ),
    ).toBe(true);
  });

  test('is false for numbered questions and for a few short steps', () => {
    expect(
      isCatalogue('1. What resources were created and deleted?\n2. What plugins were used?\n3. Was any file uploaded?'),
    ).toBe(false);
    expect(isCatalogue('* Rotate the key\n* Disable the user\n* Delete the plugin')).toBe(false);
  });
});

/** A compromised-credentials playbook in the AWS corpus's shape: Detection, Analysis, Containment, Eradication, Recovery apart. */
const CREDENTIALS_PLAYBOOK = [
  '# Stolen keys',
  '## Detection',
  'Alarms that fire on denied calls, and billing that jumps overnight, tell you a key is out.',
  '## Analysis',
  'List every call the key made since its last rotation and every identity it created on the way.',
  '## Containment',
  'Switch the key off, deny everything to its owner and end the sessions of roles it could take on.',
  '## Eradication',
  'Remove the users, keys and roles the intruder made, after saving their policies for the record.',
  '## Recovery',
  'Hand out fresh keys only once the owner knows how the old one leaked.',
].join('\n');

describe('answers for a principal whose credentials look stolen', () => {
  const root = { key: 'root', type: 'Root', accountId: '111122223333' };
  const files = (...pairs: (readonly [string, string])[]) =>
    indexSections(pairs.flatMap(([file, markdown]) => splitSections(file, markdown)));
  const both = files(['amazon-q.md', SERVICE_PLAYBOOK], ['Compromised_IAM_Credentials.md', CREDENTIALS_PLAYBOOK]);
  const cited = (
    sections: ReturnType<typeof files>,
    phase: 'detection-analysis' | 'containment-eradication' | 'recovery',
    principal = root,
    locale: AlertLocale = 'en',
  ) =>
    rankSections(sections, {
      ...buildQuestion({ rule: 'playbook/CreatePlugin', category: 'plugin', phase, principal }, locale),
      phase,
    }).map((section) => `${section.file} › ${section.headings[section.headings.length - 1] ?? ''}`);

  test.each([
    ['detection-analysis', 'Compromised_IAM_Credentials.md › Analysis', 'amazon-q.md › Analysis'],
    [
      'containment-eradication',
      'Compromised_IAM_Credentials.md › Containment',
      'amazon-q.md › Containment and Eradication',
    ],
    ['recovery', 'Compromised_IAM_Credentials.md › Recovery', 'amazon-q.md › Recovery'],
  ] as const)('in %s, cites the credentials playbook first and the service playbook next', (phase, first, second) => {
    expect(cited(both, phase).slice(0, 2)).toEqual([first, second]);
  });

  test('keeps the service playbook first for a principal whose credentials do not look stolen', () => {
    expect(
      cited(both, 'containment-eradication', { key: 'dev', type: 'AssumedRole', accountId: '111122223333' })[0],
    ).toBe('amazon-q.md › Containment and Eradication');
  });

  test('answers as for any other alert when the folder has no credentials playbook', () => {
    const serviceOnly = files(['amazon-q.md', SERVICE_PLAYBOOK]);

    expect(cited(serviceOnly, 'recovery')).toEqual(
      cited(serviceOnly, 'recovery', { key: 'dev', type: 'AssumedRole', accountId: '111122223333' }),
    );
  });

  test('takes the English credentials playbook when the locale has none', () => {
    const sections = files(
      ['de/de.amazon-q.md', SERVICE_PLAYBOOK],
      ['Compromised_IAM_Credentials.md', CREDENTIALS_PLAYBOOK],
    );

    expect(cited(sections, 'recovery', root, 'de').slice(0, 2)).toEqual([
      'Compromised_IAM_Credentials.md › Recovery',
      'de/de.amazon-q.md › Recovery',
    ]);
  });

  test('names the credentials playbook by file, in a locale folder too, but not an archived copy', () => {
    expect(
      [
        'Compromised_IAM_Credentials.md',
        'ja/ja.Compromised_IAM_Credentials.md',
        'custom/runbooks/compromised-credentials.md',
      ].every(isCredentialsPlaybook),
    ).toBe(true);
    expect(['Archived/Compromised_IAM_Credentials.md', 'credentials-rotation.md'].some(isCredentialsPlaybook)).toBe(
      false,
    );
  });

  test('answers a root alert from the fixture folder with the credentials playbook', async () => {
    const source = createLocalPlaybookSource({ dir: FIXTURES });

    const answer = await source.ask(buildQuestion(alertFor('playbook/CreatePlugin', { principal: root }), 'en'), {
      signal,
    });

    expect(answer.citations[0]?.title).toBe('compromised-credentials.md › Access keys');
    expect(answer.text).toContain('Deactivate the exposed access key');
  });
});
