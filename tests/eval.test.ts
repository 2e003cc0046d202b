import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnswerEngine } from '../src/core/answer/index.ts';
import { ReportLibrary } from '../src/core/answer/library.ts';
import {
  evaluate,
  evaluateAcrossReports,
  evaluateConversations,
  paragraphsOnly,
  type ConversationTurn,
  type EvalQuestion,
} from '../src/core/eval.ts';
import { importArticle, readArticle } from '../src/core/ingest/index.ts';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledge } from '../src/core/knowledge/load.ts';
import { validateKnowledge } from '../src/core/knowledge/validate.ts';
import { evaluateUncurated } from '../src/core/eval-uncurated.ts';
import { readSquadArticles } from '../src/cli/squad-data.ts';
import { reportKnowledge } from './fixtures/knowledge.ts';

/**
 * Answer quality on the question sets, held to floors so a change that makes answers worse fails.
 * The floors sit about 2 points under the rates measured when they were set (`npm run eval`).
 * When the rates go up, raise the floors with them.
 *
 * Measured when set (2026-12-02, after the harbour set joined the decision's fit):
 *   questions.json      162 on, 51 off: first 96.9%, top 3 99.4%, declined 92.2%; paragraphs only: first 85.2%, top 3 88.3%, declined 86.3%
 *   holdout.json        120 on, 40 off: first 85.8%, top 3 90.8%, declined 72.5%
 *   holdout-blind.json  170 on, 50 off: first 88.8%, top 3 94.1%, declined 60.0%
 *   Westminster read again by add-report, holdout-blind.json: first 67.1%, top 3 73.5%, declined 70.0%
 *   harbour-bridge-protest.json (facts found by add-report; in the decision's fit) 70 on, 20 off: first 60.0%, top 3 70.0%, declined 90.0%
 *   chemical-plant-leak.json (facts found by add-report; held out) 70 on, 20 off: first 40.0%, top 3 47.1%, declined 75.0%
 *   every report together, answered from another report: no default 17.1% / 8.6% / 5.5%
 *                       (chemical / harbour / Westminster held-out sets), the channel's report set 4.3% / 2.9% / 0.7%
 *   follow-up conversations (followups-<id>.json), follow-ups first in context: Westminster 81.8%,
 *                       harbour 64.9%, chemical 72.7% (asked alone: 45.5%, 40.5%, 45.5%)
 *   SQuAD, every 4th tuning article (1,664 questions): first 86.5%, top 3 93.8%, typos 86.6%,
 *                       other articles' questions declined 96.6%, falsely declined 4.0%
 */
const FLOORS = {
  questions: { firstRate: 0.95, top3Rate: 0.97, declinedRate: 0.9 },
  questionsParagraphsOnly: { firstRate: 0.83, top3Rate: 0.86, declinedRate: 0.84 },
  holdout: { firstRate: 0.835, top3Rate: 0.885, declinedRate: 0.7 },
  holdoutBlind: { firstRate: 0.865, top3Rate: 0.92, declinedRate: 0.58 },
  westminsterAutomatic: { firstRate: 0.65, top3Rate: 0.71, declinedRate: 0.68 },
  harbour: { firstRate: 0.58, top3Rate: 0.68, declinedRate: 0.88 },
  chemical: { firstRate: 0.38, top3Rate: 0.45, declinedRate: 0.73 },
  otherReport: {
    noDefault: { 'chemical-plant-leak': 0.2, 'harbour-bridge-protest': 0.11, 'westminster-attack': 0.075 },
    withDefault: { 'chemical-plant-leak': 0.06, 'harbour-bridge-protest': 0.05, 'westminster-attack': 0.02 },
  },
  squad: { firstRate: 0.85, top3Rate: 0.92, typoFirstRate: 0.85, offTopicDeclinedRate: 0.94, maxFalselyDeclinedRate: 0.055 },
};

const QUESTIONS_DIR = path.resolve(import.meta.dirname, 'questions');
const readQuestions = (file: string): EvalQuestion[] => JSON.parse(readFileSync(path.join(QUESTIONS_DIR, file), 'utf8')) as EvalQuestion[];

const westminster = reportKnowledge('westminster-attack');
const engine = new AnswerEngine(westminster);
const paragraphCount = engine.paragraphCount;

describe('tests/questions/questions.json', () => {
  const questions = readQuestions('questions.json');
  const onTopic = questions.filter((question) => !question.offTopic);
  const offTopic = questions.filter((question) => question.offTopic);

  it('has at least 100 on-topic and 25 off-topic questions', () => {
    expect(onTopic.length).toBeGreaterThanOrEqual(100);
    expect(offTopic.length).toBeGreaterThanOrEqual(25);
  });

  it('covers every paragraph of the report as the expected first answer', () => {
    expect(paragraphCount).toBe(14);
    const covered = new Set(onTopic.map((question) => question.paragraphs?.[0]));
    const missing = Array.from({ length: paragraphCount }, (_, index) => index + 1).filter((number) => !covered.has(number));
    expect(missing).toEqual([]);
  });

  it('is well formed: on-topic questions cite real paragraphs, off-topic ones cite none, no duplicates', () => {
    for (const question of onTopic) {
      expect(question.paragraphs?.length, question.question).toBeGreaterThan(0);
      for (const number of question.paragraphs ?? [])
        expect(number >= 1 && number <= paragraphCount, `${question.question}: ${number}`).toBe(true);
    }
    for (const question of offTopic) expect(question.paragraphs, question.question).toBeUndefined();
    const texts = questions.map((question) => question.question.trim().toLowerCase());
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('answers at or above the floors', () => {
    const report = evaluate(engine, questions);
    const misses = report.misses
      .map((miss) => `${JSON.stringify(miss.question)} expected ${String(miss.expected)} got ${String(miss.got)}`)
      .join('\n');
    expect(report.onTopic).toBe(onTopic.length);
    expect(report.offTopic).toBe(offTopic.length);
    expect(report.firstRate, `right passage first\n${misses}`).toBeGreaterThanOrEqual(FLOORS.questions.firstRate);
    expect(report.top3Rate, `right passage in top 3\n${misses}`).toBeGreaterThanOrEqual(FLOORS.questions.top3Rate);
    expect(report.declinedRate, `off-topic declined\n${misses}`).toBeGreaterThanOrEqual(FLOORS.questions.declinedRate);
  });
});

describe.each([
  ['holdout.json', FLOORS.holdout],
  ['holdout-blind.json', FLOORS.holdoutBlind],
])('tests/questions/%s (held out: only its rates are looked at, never its questions)', (file, floors) => {
  it('answers at or above the floors', () => {
    const report = evaluate(engine, readQuestions(file));
    // Plain numbers in the assertions, so a failure prints no held-out question.
    expect(report.onTopic).toBeGreaterThanOrEqual(100);
    expect(report.offTopic).toBeGreaterThanOrEqual(25);
    expect(report.firstRate).toBeGreaterThanOrEqual(floors.firstRate);
    expect(report.top3Rate).toBeGreaterThanOrEqual(floors.top3Rate);
    expect(report.declinedRate).toBeGreaterThanOrEqual(floors.declinedRate);
  });
});

describe('the Westminster report with its paragraphs only (no facts, keywords or synonyms)', () => {
  it('answers the tuning set at or above the floors', () => {
    const report = evaluate(new AnswerEngine(paragraphsOnly(westminster), { answerCacheSize: 0 }), readQuestions('questions.json'));
    expect(report.firstRate).toBeGreaterThanOrEqual(FLOORS.questionsParagraphsOnly.firstRate);
    expect(report.top3Rate).toBeGreaterThanOrEqual(FLOORS.questionsParagraphsOnly.top3Rate);
    expect(report.declinedRate).toBeGreaterThanOrEqual(FLOORS.questionsParagraphsOnly.declinedRate);
  });
});

describe.each([
  ['harbour-bridge-protest', FLOORS.harbour],
  ['chemical-plant-leak', FLOORS.chemical],
])('%s, its facts found by add-report (no curation)', (reportId, floors) => {
  it('answers its question set at or above the floors', () => {
    const report = evaluate(new AnswerEngine(reportKnowledge(reportId), { answerCacheSize: 0 }), readQuestions(`${reportId}.json`));
    expect(report.onTopic).toBeGreaterThanOrEqual(60);
    expect(report.offTopic).toBeGreaterThanOrEqual(15);
    expect(report.firstRate).toBeGreaterThanOrEqual(floors.firstRate);
    expect(report.top3Rate).toBeGreaterThanOrEqual(floors.top3Rate);
    expect(report.declinedRate).toBeGreaterThanOrEqual(floors.declinedRate);
  });
});

describe('the Westminster report read again by add-report, with no curation', () => {
  it('answers the blind held-out set at or above the floors', () => {
    const source = readFileSync(path.join(DEFAULT_KNOWLEDGE_DIR, 'westminster-attack', 'source.txt'), 'utf8');
    const imported = importArticle(readArticle(source, { html: false }), { id: 'westminster-attack' });
    const { knowledge } = validateKnowledge([
      {
        folder: 'x',
        reportJson: JSON.stringify(imported.files.report),
        factsJson: JSON.stringify(imported.files.facts),
        sourceText: imported.sourceText,
      },
    ]);
    const report = evaluate(new AnswerEngine(knowledge!, { answerCacheSize: 0 }), readQuestions('holdout-blind.json'));
    expect(report.firstRate).toBeGreaterThanOrEqual(FLOORS.westminsterAutomatic.firstRate);
    expect(report.top3Rate).toBeGreaterThanOrEqual(FLOORS.westminsterAutomatic.top3Rate);
    expect(report.declinedRate).toBeGreaterThanOrEqual(FLOORS.westminsterAutomatic.declinedRate);
  });
});

describe.each([
  ['westminster-attack', 0.79],
  ['harbour-bridge-protest', 0.62],
  ['chemical-plant-leak', 0.7],
])('the follow-up conversations of %s', (reportId, floor) => {
  const conversations = (
    JSON.parse(readFileSync(path.resolve(import.meta.dirname, `questions/followups-${reportId}.json`), 'utf8')) as Array<{
      turns: ConversationTurn[];
    }>
  ).map((conversation) => conversation.turns);
  const engine = new AnswerEngine(reportKnowledge(reportId), { answerCacheSize: 0 });

  it('answers follow-ups in context at or above the floor, far above the same questions asked alone', () => {
    const inContext = evaluateConversations(engine, conversations);
    const alone = evaluateConversations(engine, conversations, { alone: true });
    expect(inContext.followUps.firstRate).toBeGreaterThanOrEqual(floor);
    expect(inContext.followUps.firstRate).toBeGreaterThan(alone.followUps.firstRate + 0.15);
  });

  it('leaves the turns that stand alone as they are', () => {
    const inContext = evaluateConversations(engine, conversations);
    const alone = evaluateConversations(engine, conversations, { alone: true });
    expect(inContext.standalone).toEqual(alone.standalone);
    expect(inContext.openings).toEqual(alone.openings);
  });
});

describe('every report in one library: a question about one report is rarely answered from another', () => {
  const library = new ReportLibrary(loadKnowledge(), { answerCacheSize: 0 });
  const heldOut: Record<string, string[]> = {
    'chemical-plant-leak': ['chemical-plant-leak.json'],
    'harbour-bridge-protest': ['harbour-bridge-protest.json'],
    'westminster-attack': ['holdout.json', 'holdout-blind.json'],
  };
  it.each(Object.entries(heldOut))('%s', (reportId, files) => {
    const questions = files.flatMap(readQuestions);
    const noDefault = evaluateAcrossReports(library, reportId, questions, false);
    const withDefault = evaluateAcrossReports(library, reportId, questions, true);
    expect(noDefault.otherReportRate).toBeLessThanOrEqual(
      FLOORS.otherReport.noDefault[reportId as keyof typeof FLOORS.otherReport.noDefault],
    );
    expect(withDefault.otherReportRate).toBeLessThanOrEqual(
      FLOORS.otherReport.withDefault[reportId as keyof typeof FLOORS.otherReport.withDefault],
    );
    // The channel's report first never answers worse than no default.
    expect(withDefault.firstRate).toBeGreaterThanOrEqual(noDefault.firstRate);
  });
});

describe('the uncurated suite (SQuAD articles as reports, paragraphs only; every 4th article, negatives from all)', () => {
  it('answers at or above the floors', { timeout: 120_000 }, () => {
    const report = evaluateUncurated(
      readSquadArticles(),
      (article) => new AnswerEngine(article, { answerCacheSize: 0 }),
      (index) => index % 4 === 0,
    );
    expect(report.questions).toBeGreaterThan(1000);
    expect(report.firstRate).toBeGreaterThanOrEqual(FLOORS.squad.firstRate);
    expect(report.top3Rate).toBeGreaterThanOrEqual(FLOORS.squad.top3Rate);
    expect(report.typoFirstRate).toBeGreaterThanOrEqual(FLOORS.squad.typoFirstRate);
    expect(report.offTopicDeclinedRate).toBeGreaterThanOrEqual(FLOORS.squad.offTopicDeclinedRate);
    expect(report.falselyDeclinedRate).toBeLessThanOrEqual(FLOORS.squad.maxFalselyDeclinedRate);
  });
});

describe('evaluate', () => {
  it('scores first, top-3 and declined rates as documented', () => {
    const report = evaluate(engine, [
      { question: 'who was arrested in birmingham', paragraphs: [13] },
      { question: 'who was arrested in birmingham', paragraphs: [99] },
      { question: 'whats the capital of france', offTopic: true },
      { question: 'who was arrested in birmingham', offTopic: true },
    ]);
    expect(report).toMatchObject({ onTopic: 2, offTopic: 2, firstRate: 0.5, top3Rate: 0.5, declinedRate: 0.5 });
    expect(report.misses.map((miss) => miss.expected)).toEqual([[99], 'declined']);
  });
});
