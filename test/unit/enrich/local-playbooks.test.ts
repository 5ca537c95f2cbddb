import { join } from 'node:path';
import { buildQuestion, createLocalPlaybookSource, NoAnswerError, splitSections } from '../../../shared/enrich';
import { alertFor } from './alerts';

const FIXTURES = join(__dirname, '../../fixtures/playbooks');
const signal = new AbortController().signal;

describe('local playbook source', () => {
  const source = createLocalPlaybookSource({ dir: FIXTURES });

  it('answers a plugin containment alert from the plugin containment section', async () => {
    const answer = await source.ask(buildQuestion(alertFor('playbook/CreatePlugin'), 'en'), { signal });

    expect(answer.citations[0]?.title).toBe('amazon-q-response.md › Plugins');
    expect(answer.citations[0]?.url).toBe('amazon-q-response.md#plugins');
    expect(answer.text).toContain('DeletePlugin');
  });

  it('returns at most three sections', async () => {
    const answer = await source.ask(buildQuestion(alertFor('playbook/CreatePlugin'), 'en'), { signal });

    expect(answer.citations.length).toBeLessThanOrEqual(3);
  });

  it('matches the operation name case-insensitively', async () => {
    const question = { ...buildQuestion(alertFor('playbook/DeleteDataAccessor', { category: 'data-accessor', phase: 'recovery' }), 'en') };

    const answer = await source.ask({ ...question, operation: 'deletedataaccessor' }, { signal });

    expect(answer.text).toContain('DeleteDataAccessor');
  });

  it('answers from the German file for a German alert', async () => {
    const answer = await source.ask(buildQuestion(alertFor('playbook/CreatePlugin'), 'de'), { signal });

    expect(answer.citations[0]?.title).toBe('de/de.amazon-q-response.md › Plugins');
    expect(answer.text).toContain('Löschen Sie');
  });

  it('falls back to English when the German files do not cover the operation', async () => {
    const answer = await source.ask(
      buildQuestion(alertFor('playbook/UpdateChatControlsConfiguration', { category: 'guardrails', phase: 'containment-eradication' }), 'de'),
      { signal },
    );

    expect(answer.citations.every((citation) => !citation.title.startsWith('de/'))).toBe(true);
    expect(answer.text).toContain('UpdateChatControlsConfiguration');
  });

  it('reports no answer when no section is about the alert', async () => {
    const question = buildQuestion(alertFor('unclassified/FrobnicateWidget', { category: 'unclassified' }), 'en');

    await expect(source.ask({ ...question, category: 'subscription' }, { signal })).rejects.toBeInstanceOf(NoAnswerError);
  });

  it('splits sections by heading and keeps the heading chain', () => {
    const sections = splitSections('x.md', '# Top\n\n## Recovery\n### Plugins\nRecreate the plugin.\n```\n# not a heading\n```\n');

    expect(sections.map((section) => section.headings.join(' > '))).toEqual(['Top > Recovery > Plugins']);
    expect(sections[0]?.body).toContain('# not a heading');
  });

  it('reads the locale from a file prefix', () => {
    expect(splitSections('fr.playbook.md', '# T\nbody')[0]?.locale).toBe('fr');
  });
});
