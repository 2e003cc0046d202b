import { describe, expect, it } from 'vitest';
import { TypoCorrector } from '../src/core/answer/typo-corrector.ts';
import { AnswerEngine } from '../src/core/answer/index.ts';
import { articleKnowledge } from '../src/core/eval-uncurated.ts';
import { informativeness, isEnglishWord, relatedWords } from '../src/core/lexicon/index.ts';
import { termOf } from '../src/core/text.ts';

describe('everyday-English information (SUBTLEX)', () => {
  it('weighs a common word below a topical one, and a never-heard word at 1', () => {
    expect(informativeness('the')).toBe(0);
    expect(informativeness('said')).toBeLessThan(informativeness('prison'));
    expect(informativeness('prison')).toBeLessThan(informativeness('radicalisation'));
    expect(informativeness('qwzxv')).toBe(1);
  });

  it('gives numbers a fixed middle weight: a year says more than "2"', () => {
    expect(informativeness('2')).toBeLessThan(informativeness('1996'));
  });
});

describe('WordNet relations', () => {
  it('relates a word to its synonyms and to narrower and broader words', () => {
    const car = relatedWords(['car']);
    expect(car.get('automobile')).toBeGreaterThan(0);
    expect(relatedWords(['jail']).get('gaol')).toBeGreaterThan(0);
    expect(relatedWords(['vehicle']).get('conveyance')).toBeGreaterThan(0);
    expect(relatedWords(['attacker']).get('attack')).toBeGreaterThan(0);
  });

  it('weighs a synonym above a narrower word', () => {
    const car = relatedWords(['car']);
    expect(car.get('automobile')).toBeGreaterThan(car.get('taxi') ?? 0);
  });

  it('does not make a named thing an instance of its class (the Rhine is not any river)', () => {
    expect(relatedWords(['rhine']).has('river')).toBe(false);
  });
});

describe('terms', () => {
  it('joins irregular forms to their lemma, but keeps words of their own', () => {
    expect(termOf('ran')).toBe(termOf('run'));
    expect(termOf('women')).toBe(termOf('woman'));
    expect(termOf('left')).not.toBe(termOf('leave'));
  });

  it('reads number words as digits', () => {
    expect(termOf('seven')).toBe('7');
    expect(termOf('fifty-eight')).toBe('58');
    expect(termOf('forty')).toBe('40');
  });
});

describe('chat words', () => {
  it('writes out the abbreviations people type', () => {
    const engine = new AnswerEngine(
      articleKnowledge({ title: 'A report', paragraphs: [{ context: 'The government said people were safe.', qas: [] }] }),
    );
    expect(engine.inspect('wat r ppl saying abt the govt').question.text).toBe('what are people saying about the government');
  });
});

describe('typo correction', () => {
  const corrector = new TypoCorrector(['arrested', 'birmingham', 'year', 'encryption']);

  it('corrects a misspelt word to the vocabulary', () => {
    expect(corrector.correct('arested')).toBe('arrested');
    expect(corrector.correct('birmigham')).toBe('birmingham');
  });

  it('never "corrects" a real English word into another', () => {
    expect(isEnglishWord('near')).toBe(true);
    expect(corrector.correct('near')).toBeUndefined();
  });

  it('leaves a word with nothing close alone', () => {
    expect(corrector.correct('qwzxvbn')).toBeUndefined();
  });
});
