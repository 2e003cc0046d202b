import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnswerEngine, checkQuestion, cleanQuestion, MAX_HITS, MAX_QUESTION_LENGTH, normalizeQuestion } from '../src/core/answer/index.ts';
import type { Answer } from '../src/core/answer-types.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../src/core/knowledge/load.ts';
import { reportKnowledge } from './fixtures/knowledge.ts';

/** The real knowledge through the real search: no stubs, no fixtures. */
const engine = new AnswerEngine(reportKnowledge('westminster-attack'));
const report = engine.knowledge.reports[0]!;
const suggestedQuestions = report.facts.suggestedQuestions;

/** Paragraph texts straight from report.json, to hold passages to the file, not to the loader. */
const reportFile = JSON.parse(readFileSync(path.join(DEFAULT_KNOWLEDGE_DIR, 'westminster-attack', 'report.json'), 'utf8')) as {
  blocks: Array<{ paragraph?: number; text?: string }>;
};
const paragraphText = new Map(
  reportFile.blocks.flatMap((block) =>
    block.paragraph !== undefined && block.text !== undefined ? [[block.paragraph, block.text] as const] : [],
  ),
);

const paragraphsOf = (answer: Answer): number[] => answer.hits.map((hit) => hit.paragraph);
const firstParagraph = (question: string): number | undefined => engine.ask(question).hits[0]?.paragraph;

describe('ranked answers to representative questions', () => {
  it('who was arrested in birmingham → paragraph 13 first', () => {
    const answer = engine.ask('who was arrested in birmingham');
    expect(answer.answered).toBe(true);
    expect(paragraphsOf(answer)[0]).toBe(13);
    expect(answer.hits[0]!.highlights).toEqual(expect.arrayContaining(['Birmingham', 'arrested']));
  });

  it('a typo ("arested in birmingam") still finds paragraph 13', () => {
    expect(firstParagraph('arested in birmingam')).toBe(13);
  });

  it('British and American spelling fold: radicalized = radicalised', () => {
    const american = engine.ask('was he radicalized');
    const british = engine.ask('was he radicalised');
    expect(american.answered).toBe(true);
    expect(paragraphsOf(american)[0]).toBe(paragraphsOf(british)[0]);
    expect(paragraphsOf(american)).toEqual(paragraphsOf(british));
  });

  it('the report’s two spellings of the attacker fold: Massood = Masood', () => {
    const answers = ['Massood', 'Masood', 'what did massood do', 'what did masood do'].map((question) => engine.ask(question));
    for (const answer of answers) expect(answer.answered).toBe(true);
    expect(paragraphsOf(answers[0]!)).toEqual(paragraphsOf(answers[1]!));
    expect(paragraphsOf(answers[2]!)).toEqual(paragraphsOf(answers[3]!));
  });

  it('ISIS, Islamic State and Isis fold to one group', () => {
    const [upper, longName, lower] = ['was masood linked to ISIS', 'was masood linked to Islamic State', 'was masood linked to Isis'].map(
      (question) => engine.ask(question),
    );
    expect(upper!.answered).toBe(true);
    expect(paragraphsOf(longName!)).toEqual(paragraphsOf(upper!));
    expect(paragraphsOf(lower!)).toEqual(paragraphsOf(upper!));
    expect([1, 5, 12]).toContain(paragraphsOf(upper!)[0]);
  });

  it('what did amber rudd say → paragraph 10, attributed to Amber Rudd, Home Secretary', () => {
    const answer = engine.ask('what did amber rudd say');
    const hit = answer.hits[0]!;
    expect(hit.paragraph).toBe(10);
    expect(hit.attribution).toContain('Amber Rudd');
    expect(hit.attribution).toContain('Home Secretary');
    expect(hit.speaker).toEqual({ name: 'Amber Rudd', role: 'Home Secretary' });
  });

  it('was he radicalised in prison → paragraph 12 (Basu’s statement) or 2, and the prison claim is marked speculation', () => {
    const answer = engine.ask('was he radicalised in prison');
    const first = answer.hits[0]!;
    expect([12, 2]).toContain(first.paragraph);
    if (first.paragraph === 12) {
      expect(first.attribution).toBe('Neil Basu, deputy assistant commissioner, in a statement released on Monday afternoon');
    }
    const carrier = answer.hits.find((hit) => hit.claim?.text.includes('prison'));
    expect(carrier, 'a hit carries the prison claim').toBeDefined();
    expect(carrier!.claimStatus).toBe('speculation');
    expect(carrier!.claim!.evidence).toContain('pure speculation');
    expect(paragraphsOf(answer)).toContain(12);
  });

  it('the ISIS claim of responsibility (paragraph 3) is marked disputed', () => {
    const answer = engine.ask('did isis claim responsibility for the attack');
    const hit = answer.hits.find((candidate) => candidate.paragraph === 3);
    expect(answer.hits[0]!.paragraph).toBe(3);
    expect(hit?.claimStatus).toBe('disputed');
    expect(hit?.claim?.claimedBy).toBe('ISIS');
  });

  it('a curated alias is read before chat words: "home sec" is the Home Secretary, not a second', () => {
    const answer = engine.ask('wat did the home sec say');
    expect(answer.answered).toBe(true);
    expect(answer.hits[0]?.paragraph).toBe(10);
  });

  it('a confirmed fact is not marked as a claim', () => {
    const answer = engine.ask('is whatsapp a key element of the investigation');
    expect(answer.answered).toBe(true);
    const hit = answer.hits.find((candidate) => candidate.factId === 'claim-whatsapp-key');
    expect(hit, 'the confirmed WhatsApp claim is among the hits').toBeDefined();
    expect(hit!.claimStatus).toBeUndefined();
  });
});

describe('every hit', () => {
  const representative = [
    'who was arrested in birmingham',
    'was he radicalised in prison',
    'what did amber rudd say',
    'was masood linked to isis',
    'Masood',
    'what car did he use',
    'was the car seen before the attack',
    'why is there a debate about whatsapp',
    'who is still in custody',
    'what did neil basu say',
  ];

  function expectWellFormedHits(answer: Answer): void {
    expect(answer.hits.length).toBeGreaterThan(0);
    expect(answer.hits.length).toBeLessThanOrEqual(MAX_HITS);
    expect(MAX_HITS).toBe(5);
    const shown = answer.hits.map((hit) => `${hit.report}/${hit.paragraph}`);
    expect(new Set(shown).size).toBe(shown.length);
    for (const hit of answer.hits) {
      expect(hit.report).toBe('westminster-attack');
      expect(hit.passage).toBe(paragraphText.get(hit.paragraph));
      for (const word of hit.highlights) expect(hit.passage).toContain(word);
      expect(hit.confidence).toBeGreaterThanOrEqual(0);
      expect(hit.confidence).toBeLessThanOrEqual(1);
      expect(hit.attribution.length).toBeGreaterThan(0);
    }
    // Ranked: scores never go up.
    const scores = answer.hits.map((hit) => hit.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  }

  it.each(representative)(
    '%s: answered; verbatim passages, highlights in them, ≤ 5 hits, one per paragraph, confidence in 0..1',
    (question) => {
      const answer = engine.ask(question);
      expect(answer.answered).toBe(true);
      expectWellFormedHits(answer);
      expect(answer.hits[0]!.highlights.length).toBeGreaterThan(0);
    },
  );

  it.each(suggestedQuestions)('suggested "%s": the same holds for its hits', (question) => {
    const answer = engine.ask(question);
    if (answer.answered) expectWellFormedHits(answer); // whether it is answered is held below
  });

  it('keeps the report’s curly quotes and non-breaking spaces in the passage', () => {
    const linked = engine.ask('was masood linked to isis').hits.find((hit) => hit.paragraph === 1);
    expect(linked?.passage).toContain('Khalid Masood\u00a0and');
    const basu = engine.ask('was he radicalised in prison').hits.find((hit) => hit.paragraph === 12);
    expect(basu?.passage).toContain('“There is no evidence that Masood was radicalised in prison in 2003');
  });
});

describe('off-topic questions', () => {
  it.each(['whats the capital of france', 'asdkjh qwe', 'who won the world cup'])(
    '%s → declined, with 1-3 suggestions the report covers',
    (question) => {
      const answer = engine.ask(question);
      expect(answer.answered).toBe(false);
      expect(answer.hits).toEqual([]);
      expect(answer.question).toBe(question);
      expect(answer.suggestions.length).toBeGreaterThanOrEqual(1);
      expect(answer.suggestions.length).toBeLessThanOrEqual(3);
      for (const suggestion of answer.suggestions) expect(suggestedQuestions).toContain(suggestion);
    },
  );
});

describe('bad input', () => {
  const cases: Array<[label: string, question: string, code: string | undefined]> = [
    ['empty', '', 'empty'],
    ['whitespace', ' \t\n  ', 'empty'],
    ['301 characters', `who was arrested ${'x'.repeat(284)}`, 'too-long'],
    ['a thousand characters', 'who was arrested? '.repeat(60), 'too-long'],
    ['only emoji', '🔥🔥', 'no-words'],
    ['only punctuation', '?!?...', 'no-words'],
    ['only stop words', 'what is it', 'only-stop-words'],
    ['only control characters', '\u0000\u0007\u001b', 'empty'],
    ['control characters around words', 'who\u0000 was\u0007 arrested\u001b', undefined],
    ['markdown', '**who** was _arrested_', undefined],
    ['a mention', '<@123> who was arrested', undefined],
    ['@everyone', '@everyone who was arrested', undefined],
    ['only a mention', '<@!123456789012345678>', 'empty'],
  ];

  it('checks the 301-character case really is 301 characters', () => {
    expect(cases[2]![1]).toHaveLength(MAX_QUESTION_LENGTH + 1);
    expect(checkQuestion('a'.repeat(MAX_QUESTION_LENGTH))).toBeUndefined();
  });

  it.each(cases)('%s: checkQuestion gives %s and ask never throws', (_label, question, code) => {
    expect(checkQuestion(cleanQuestion(question))?.code).toBe(code);
    let answer: Answer | undefined;
    expect(() => (answer = engine.ask(question))).not.toThrow();
    if (code !== undefined) {
      expect(answer!.answered).toBe(false);
      expect(answer!.hits).toEqual([]);
      expect(checkQuestion(cleanQuestion(question))!.message.length).toBeGreaterThan(10);
    }
  });

  it('says how long a too-long question is and what the limit is', () => {
    expect(checkQuestion('a'.repeat(400))?.message).toMatch(/400 characters.*300/);
  });

  it.each([
    'who\u0000 was\u0007 arrested',
    '**who** was _arrested_',
    '<@123> who was arrested',
    '@everyone who was arrested',
    '<:fire:123456> who was arrested',
  ])('%s is answered as "who was arrested" would be', (question) => {
    const expected = paragraphsOf(engine.ask('who was arrested'));
    expect(expected[0]).toBe(13);
    const answer = engine.ask(question);
    expect(answer.answered).toBe(true);
    expect(paragraphsOf(answer)).toEqual(expected);
  });

  it('cleanQuestion strips markdown, mentions, custom emoji and control characters', () => {
    expect(cleanQuestion('**who** was _arrested_')).toBe('who was arrested');
    expect(cleanQuestion('<@123> <@!456> <@&789> <#42> who')).toBe('who');
    expect(cleanQuestion('@everyone @here who')).toBe('who');
    expect(cleanQuestion('<a:party:123> who\u0000was')).toBe('who was');
  });
});

describe('normalizeQuestion (how declined questions are counted)', () => {
  it('folds case, punctuation and spacing', () => {
    expect(normalizeQuestion('  Who shot JR??  ')).toBe('who shot jr');
    expect(normalizeQuestion('Who shot JR??')).toBe(normalizeQuestion('who shot jr'));
  });

  it('drops markdown and mentions, folds curly quotes and accents', () => {
    expect(normalizeQuestion('**Who** was <@123> _arrested_?')).toBe('who was arrested');
    expect(normalizeQuestion('Masood’s  CAR')).toBe("masood's car");
    expect(normalizeQuestion('Café\u00a0crème')).toBe('cafe creme');
  });
});

describe('questionSimilarity', () => {
  it('is high for a paraphrase and for a misspelt paraphrase', () => {
    expect(engine.questionSimilarity('who was arrested in birmingham?', 'Who got arrested in Birmingham')).toBeGreaterThanOrEqual(0.8);
    // Spelling variants and aliases fold (radicalised/radicalized, Massood/Masood).
    expect(engine.questionSimilarity('was Massood radicalised in prison?', 'Was Masood radicalized in prison')).toBe(1);
    expect(engine.questionSimilarity('was masood radicalised in prison', 'was he radicalised in prison')).toBeGreaterThanOrEqual(0.6);
    expect(engine.questionSimilarity('who was arrested in birmingham', 'arested in birmingam')).toBeGreaterThanOrEqual(0.8);
  });

  it('is low for unrelated questions, and 0 when there is nothing to compare', () => {
    expect(engine.questionSimilarity('who was arrested in birmingham?', 'what did amber rudd say')).toBeLessThan(0.2);
    expect(engine.questionSimilarity('what is it', 'who was arrested')).toBe(0);
  });

  it('is symmetric and 1 for the same question', () => {
    const a = 'was the car seen before the attack';
    const b = 'had the car been spotted before';
    expect(engine.questionSimilarity(a, b)).toBeCloseTo(engine.questionSimilarity(b, a));
    expect(engine.questionSimilarity(a, a)).toBe(1);
  });
});

describe('suggest (autocomplete)', () => {
  it('offers the suggested questions when nothing is typed', () => {
    expect(engine.suggest('')).toEqual(suggestedQuestions.slice(0, 25));
    expect(engine.suggest('   ', 3)).toEqual(suggestedQuestions.slice(0, 3));
  });

  it('offers an arrests question for "arre" and for the misspelt "arest"', () => {
    expect(engine.suggest('arre').some((suggestion) => /arrest/i.test(suggestion))).toBe(true);
    expect(engine.suggest('arest').some((suggestion) => /arrest/i.test(suggestion))).toBe(true);
  });

  it('puts questions starting with what was typed first', () => {
    expect(engine.suggest('What did')[0]).toMatch(/^What did/);
  });

  it('never offers more than asked for, nor duplicates', () => {
    const offered = engine.suggest('masood', 5);
    expect(offered.length).toBeLessThanOrEqual(5);
    expect(new Set(offered).size).toBe(offered.length);
  });
});

describe('the suggested questions', () => {
  // The bot offers these when it declines and in autocomplete: each must really be answered.
  it.each(suggestedQuestions)('"%s" is answered by the engine', (question) => {
    const answer = engine.ask(question);
    expect(answer.answered, `suggested question declined: ${question}`).toBe(true);
    expect(answer.hits.length).toBeGreaterThan(0);
  });
});
