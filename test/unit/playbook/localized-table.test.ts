import { join } from 'node:path';
import { directoryPlaybookSource, loadLocalizedText } from '../../../shared/playbook/localized-table';
import { testPipeline } from '../../support/pipeline';
import { inputs, record } from '../../support/records';

const FIXTURES = join(__dirname, '../../fixtures/playbook-md');

describe('alert texts in ALERT_LOCALE', () => {
  test('a German alert takes the description the German playbook gives the operation', async () => {
    const localized = await loadLocalizedText(directoryPlaybookSource(FIXTURES), 'de');

    const text = localized('CreateRetriever');

    expect(text).toEqual({ language: 'de', title: 'Retriever', description: 'Fügt einen Retriever hinzu' });
  });

  test('English keeps the table text: the English playbook never replaces our descriptions', async () => {
    const localized = await loadLocalizedText(directoryPlaybookSource(FIXTURES), 'en');

    expect(localized('CreatePlugin')).toBeUndefined();
  });

  test('a language without a synced playbook falls back to the table text', async () => {
    const localized = await loadLocalizedText(directoryPlaybookSource(FIXTURES), 'fr');

    expect(localized('CreatePlugin')).toBeUndefined();
  });

  test('the pipeline builds the alert from the localized text', async () => {
    const localized = await loadLocalizedText(directoryPlaybookSource(FIXTURES), 'de');
    const { triage, notifier } = testPipeline({ localizedText: async () => localized });

    await triage.process(inputs([record({ eventName: 'CreateRetriever' })]));

    expect(notifier.messages[0]?.alert).toMatchObject({ title: 'CreateRetriever (Retriever)', description: 'Fügt einen Retriever hinzu' });
  });

  test('unreadable playbooks leave alerts in English instead of failing triage', async () => {
    const { triage, notifier } = testPipeline({ localizedText: async () => Promise.reject(new Error('AccessDenied')) });

    const { outcomes } = await triage.process(inputs([record({ eventName: 'CreatePlugin' })]));

    expect(outcomes[0]?.status).toBe('alerted');
    expect(notifier.messages[0]?.alert.title).toBe('CreatePlugin (Amazon Q Business plugin)');
  });
});
