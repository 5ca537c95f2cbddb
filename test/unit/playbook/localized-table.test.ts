import { join } from 'node:path';
import { directoryPlaybookSource, loadLocalizedText } from '../../../shared/playbook/localized-table';
import { testPipeline } from '../../support/pipeline';
import { inputs, record } from '../../support/records';

const FIXTURES = join(__dirname, '../../fixtures/playbook-md');

describe('alert texts in ALERT_LOCALE', () => {
  test('a German alert takes the description the German playbook gives the operation', async () => {
    const localized = await loadLocalizedText(directoryPlaybookSource(FIXTURES), 'de');

    const text = localized('CreateRetriever');

    expect(text).toMatchObject({ description: 'Fügt einen Retriever hinzu', translator: { language: 'de' } });
  });

  test('English keeps the table text: the English playbook never replaces our descriptions', async () => {
    const localized = await loadLocalizedText(directoryPlaybookSource(FIXTURES), 'en');

    expect(localized('CreatePlugin')).toBeUndefined();
  });

  test('a language without a synced playbook keeps the table description, and still translates titles, steps and questions', async () => {
    const localized = await loadLocalizedText(directoryPlaybookSource(FIXTURES), 'fr');

    expect(localized('CreatePlugin')?.description).toBeUndefined();
    expect(localized('CreatePlugin')?.translator.language).toBe('fr');
  });

  test('without playbooks at all, every operation (known or not) gets the translations', async () => {
    const localized = await loadLocalizedText(undefined, 'ja');

    expect(localized('CreatePlugin')?.translator.categoryTitle('plugin')).toBe('Amazon Q Business プラグイン');
    expect(localized('SomeForgedName')).toBe(localized('CreatePlugin'));
  });

  test('the pipeline builds the alert from the localized text', async () => {
    const localized = await loadLocalizedText(directoryPlaybookSource(FIXTURES), 'de');
    const { triage, notifier } = testPipeline({ localizedText: async () => localized });

    await triage.process(inputs([record({ eventName: 'CreateRetriever' })]));

    expect(notifier.messages[0]?.alert).toMatchObject({
      title: 'CreateRetriever (Amazon Q Business-Retriever)',
      description: 'Fügt einen Retriever hinzu',
    });
  });

  test('the pipeline builds German steps and analysis questions, with the links of the English steps', async () => {
    const localized = await loadLocalizedText(directoryPlaybookSource(FIXTURES), 'de');
    const { triage, notifier } = testPipeline({ localizedText: async () => localized });

    await triage.process(inputs([record({ eventName: 'CreatePlugin' })]));

    const alert = notifier.messages[0]?.alert;
    expect(alert?.steps[0]).toEqual({
      text: 'Prüfen Sie Typ, Server-URL, Authentifizierungs-Secret und Rolle des Plugins.',
      link: 'https://docs.aws.amazon.com/amazonq/latest/api-reference/API_GetPlugin.html',
    });
    expect(alert?.questions[0]).toBe(
      'Welche Plugins wurden erstellt, geändert oder verwendet, und welche Drittsysteme erreichen sie?',
    );
    expect(alert?.links).toContain('https://docs.aws.amazon.com/amazonq/latest/api-reference/API_GetPlugin.html');
  });

  test('a denied call is titled in the alert language too', async () => {
    const localized = await loadLocalizedText(undefined, 'fr');
    const { triage, notifier } = testPipeline({ localizedText: async () => localized });

    await triage.process(inputs([record({ eventName: 'DeletePlugin', errorCode: 'AccessDenied' })]));

    expect(notifier.messages[0]?.alert.title).toBe('Refusé : DeletePlugin (plugin Amazon Q Business)');
  });

  test('unreadable playbooks leave alerts in English instead of failing triage', async () => {
    const { triage, notifier } = testPipeline({ localizedText: async () => Promise.reject(new Error('AccessDenied')) });

    const { outcomes } = await triage.process(inputs([record({ eventName: 'CreatePlugin' })]));

    expect(outcomes[0]?.status).toBe('alerted');
    expect(notifier.messages[0]?.alert.title).toBe('CreatePlugin (Amazon Q Business plugin)');
  });
});
