/**
 * Knowledge validation runs at every start and reload: it must grow with the report's size, not
 * with its square. Validates synthetic reports of 1,000 and 10,000 paragraphs (each cited by a
 * fact and a quote) and checks the time grows about tenfold.
 */
import { validateKnowledge, type ReportSource } from '../src/core/knowledge/validate.ts';
import { seededRandom } from '../src/core/eval-uncurated.ts';

const USAGE = `Usage: npm run bench:validate

Times knowledge validation on synthetic reports of 1,000 and 10,000 paragraphs. Exits 1 unless
ten times the paragraphs take under ${15} times as long (linear, with room for noise).`;

const MAX_RATIO = 15;
const WORDS =
  'police report council said officers bridge river market night morning city people residents road fire school hospital water power'.split(
    ' ',
  );

function syntheticSource(paragraphs: number): ReportSource {
  const random = seededRandom(paragraphs);
  const sentence = (): string => `${Array.from({ length: 14 }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ')}.`;
  const texts = Array.from({ length: paragraphs }, (_, index) => `Paragraph ${index + 1}: ${sentence()} “${sentence()}” ${sentence()}`);
  const report = {
    id: 'synthetic',
    title: 'A synthetic report',
    outlet: '',
    date: '',
    url: '',
    blocks: texts.map((text, index) => ({ paragraph: index + 1, text })),
  };
  const facts = {
    entities: [{ id: 'someone', kind: 'person', name: 'Someone', aliases: [], role: '', summary: 'Said things.', paragraphs: [1] }],
    arrests: [],
    quotes: texts.map((text, index) => ({
      id: `quote-${index + 1}`,
      speaker: 'someone',
      role: '',
      text: /“(.+)”/.exec(text)?.[1] ?? '',
      occasion: '',
      paragraphs: [index + 1],
    })),
    claims: [],
    timeline: texts.map((_, index) => ({ id: `event-${index + 1}`, when: 'today', what: 'Something.', paragraphs: [index + 1] })),
    suggestedQuestions: ['what happened?'],
  };
  return {
    folder: 'synthetic',
    reportJson: JSON.stringify(report),
    factsJson: JSON.stringify(facts),
    sourceText: [report.title, ...texts].join('\n\n'),
  };
}

function medianMs(source: ReportSource, runs = 3): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const result = validateKnowledge([source]);
    times.push(performance.now() - started);
    if (result.errors.length > 0) throw new Error(`the synthetic report is invalid: ${result.errors[0]?.reason}`);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? 0;
}

function main(): void {
  const small = medianMs(syntheticSource(1_000));
  const large = medianMs(syntheticSource(10_000));
  const ratio = large / small;
  console.log(
    `Knowledge validation: 1,000 paragraphs ${small.toFixed(0)} ms, 10,000 paragraphs ${large.toFixed(0)} ms (×${ratio.toFixed(1)} for ×10 paragraphs; median of 3).`,
  );
  const pass = ratio < MAX_RATIO;
  console.log(`${pass ? 'PASS' : 'FAIL'}  grows linearly: ×${ratio.toFixed(1)} < ×${MAX_RATIO}`);
  if (!pass) process.exitCode = 1;
}

if (process.argv.includes('--help') || process.argv.includes('-h')) console.log(USAGE);
else main();
