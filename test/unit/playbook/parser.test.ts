import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { localizeRow } from '../../../shared/playbook/localize';
import { editDistance, resolveName, indexOperations } from '../../../shared/playbook/names';
import {
  parsePlaybookMarkdown,
  readPlaybookTable,
  type ParsedName,
  type PlaybookTableReport,
} from '../../../shared/playbook/parser';

const FIXTURE_DIR = join(__dirname, '../../fixtures/playbook-md');
const KNOWN = [
  'StartConversation',
  'SendMessage',
  'GetIndex',
  'StartDataSourceSyncJob',
  'ListDataSourceSyncJobs',
  'CreateRetriever',
  'ListRetrievers',
  'UpdateChatControlsConfiguration',
  'DeleteChatControlsConfiguration',
  'GetChatControlsConfiguration',
  'CreatePlugin',
] as const;

let report: PlaybookTableReport;

beforeAll(async () => {
  report = await readPlaybookTable(
    {
      read: async (path) => {
        try {
          return await readFile(join(FIXTURE_DIR, path), 'utf8');
        } catch {
          return undefined;
        }
      },
    },
    KNOWN,
  );
});

function name(language: string, written: string, list: ParsedName['list'] = 'event-table'): ParsedName | undefined {
  return report.playbooks
    .find((p) => p.language === language)
    ?.names.find((n) => n.written === written && n.list === list);
}

describe('parsePlaybookMarkdown', () => {
  test('reads the event table by section', async () => {
    const raw = parsePlaybookMarkdown(
      await readFile(join(FIXTURE_DIR, 'docs/Amazon_Q.md'), 'utf8'),
      'docs/Amazon_Q.md',
      'en',
    );

    expect(raw.lists['event-table'].map((section) => [section.title, section.rows.length])).toEqual([
      ['Conversations', 2],
      ['Sync jobs', 2],
      ['Retrievers', 2],
      ['Controls', 4],
    ]);
  });

  test('reads the list of frequent names before the table and no backticked bullet elsewhere', async () => {
    const raw = parsePlaybookMarkdown(
      await readFile(join(FIXTURE_DIR, 'docs/Amazon_Q.md'), 'utf8'),
      'docs/Amazon_Q.md',
      'en',
    );

    expect(raw.lists.common.flatMap((section) => section.rows.map((row) => row.written))).toEqual([
      'StartConversation',
      'GetIndex',
    ]);
  });

  test('reads the data-event lists under their resource headers', async () => {
    const raw = parsePlaybookMarkdown(
      await readFile(join(FIXTURE_DIR, 'docs/de/de.Amazon_Q.md'), 'utf8'),
      'docs/de/de.Amazon_Q.md',
      'de',
    );

    expect(raw.lists['data-events'].map((section) => section.rows.length)).toEqual([2]);
  });
});

describe('resolvePlaybooks on fixtures of each mangling', () => {
  test.each([
    ['en', 'StartConversation', 'StartConversation', 'exact'],
    ['de', 'startConversation', 'StartConversation', 'case'],
    ['zh', 'startConversation', 'StartConversation', 'case'],
    ['en', 'StartDataSourceSyncJobs', 'StartDataSourceSyncJob', 'edit-distance'],
    ['de', 'ListDataSourceSyncJob', 'ListDataSourceSyncJobs', 'edit-distance'],
    ['de', 'ListRetriever', 'ListRetrievers', 'edit-distance'],
    ['zh', 'sendMesage', 'SendMessage', 'edit-distance'],
    ['zh', 'createRetrieverr', 'CreateRetriever', 'edit-distance'],
    ['ja', '会話開始', 'StartConversation', 'position'],
    ['zh', '列出检索器', 'ListRetrievers', 'position'],
    ['ja', 'ChatControlsConfiguration', 'DeleteChatControlsConfiguration', 'position'],
  ])('%s %s → %s (%s)', (language, written, operation, how) => {
    expect(name(language, written)).toMatchObject({ operation, how });
  });

  test('resolves a translated name in the frequent-names list by position', () => {
    expect(name('de', 'Konversation beginnen', 'common')).toMatchObject({
      operation: 'StartConversation',
      how: 'position',
    });
  });

  test('resolves a translated data-event item by position', () => {
    expect(name('de', 'Synchronisierungsaufträge auflisten', 'data-events')).toMatchObject({
      operation: 'ListDataSourceSyncJobs',
      how: 'position',
    });
  });

  test('leaves a name that is no known operation unresolved, with the closest candidate', () => {
    expect(name('en', 'FrobnicateWidget')).toMatchObject({
      operation: null,
      how: 'unresolved',
      reason: expect.stringContaining('no known operation'),
    });
  });

  test('leaves a translation unresolved when its English original is', () => {
    expect(name('ja', 'ウィジェット')).toMatchObject({
      operation: null,
      how: 'unresolved',
      reason: expect.stringContaining('English original'),
    });
  });

  test('does not guess by position when the section has a different number of rows', () => {
    expect(name('zh', '启动同步')).toMatchObject({
      operation: null,
      how: 'unresolved',
      reason: expect.stringContaining('differs in length'),
    });
  });

  test('keeps the translated description of each row', () => {
    expect(name('de', 'startConversation')?.description).toBe('Öffnet eine Chat-Sitzung');
  });
});

describe('computeDrift', () => {
  test('lists operation-like names of the playbook that the table lacks', () => {
    expect(report.drift.missingFromTable).toEqual(['FrobnicateWidget', 'PutFeedback']);
  });

  test('lists table operations the playbook does not mention', () => {
    expect(report.drift.notInPlaybook).toEqual(['CreatePlugin']);
  });
});

describe('localizeRow', () => {
  test('gives the section title and description in the requested language', () => {
    expect(localizeRow('SendMessage', 'de', report.playbooks)).toEqual({
      description: 'Sendet eine Nachricht',
      language: 'de',
    });
  });

  test('falls back to English when the language has no playbook', () => {
    expect(localizeRow('SendMessage', 'fr', report.playbooks)).toMatchObject({
      description: 'Posts one message',
      language: 'en',
    });
  });

  test('gives nothing for an operation no playbook describes', () => {
    expect(localizeRow('CreatePlugin', 'de', report.playbooks)).toEqual({});
  });
});

describe('names', () => {
  test('counts an adjacent transposition as one edit', () => {
    expect(editDistance('sendmesasge', 'sendmessage')).toBe(1);
  });

  test('refuses an edit-distance match that is ambiguous', () => {
    const resolution = resolveName('GetThings', indexOperations(['GetThing1', 'GetThing2']));

    expect(resolution).toMatchObject({
      operation: null,
      how: 'unresolved',
      reason: expect.stringContaining('ambiguous'),
    });
  });
});
