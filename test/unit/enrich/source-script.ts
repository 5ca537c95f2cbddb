/** An AnswerSource for enricher tests that replays a script of outcomes and counts its calls. */
import type { Answer, AnswerSource, Question } from '../../../shared/enrich';
import { AnswerAbortedError } from '../../../shared/enrich';

export type Step = Answer | Error | 'hang';

export class ScriptedSource implements AnswerSource {
  name = 'qbusiness';
  readonly questions: Question[] = [];
  constructor(
    private readonly steps: Step[],
    private readonly fallback: Step = { text: 'Delete the plugin.', citations: [{ title: 'Plugins' }] },
  ) {}

  async ask(question: Question, { signal }: { signal: AbortSignal }): Promise<Answer> {
    this.questions.push(question);
    const step = this.steps.shift() ?? this.fallback;
    if (step === 'hang') {
      return new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new AnswerAbortedError('aborted')), { once: true }),
      );
    }
    if (step instanceof Error) throw step;
    return step;
  }

  get calls(): number {
    return this.questions.length;
  }
}
