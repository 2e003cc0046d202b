import { answerQuestion } from './commands/ask.ts';
import { BUTTON_PREFIX, parseOtherPassages, parseParagraphRef } from './custom-ids.ts';
import { pinAnswer, pinOutcomeReply } from './pins.ts';
import { threadHandler } from './threads.ts';
import { voteHandler, voteReasonHandler } from './votes.ts';
import { questionFromAnswerEmbed, renderOtherPassages, renderParagraph } from './render.ts';
import type { ComponentHandler } from './types.ts';
import { errorReply } from './reply.ts';

const fullParagraph: ComponentHandler = {
  prefix: BUTTON_PREFIX.fullParagraph,
  async handle(invocation, services) {
    const ref = parseParagraphRef(invocation.customId.slice(BUTTON_PREFIX.fullParagraph.length + 1));
    const report = ref && services.library.findReport(ref.report);
    const paragraph = report?.paragraphs.find((candidate) => candidate.number === ref?.paragraph);
    if (!report || !paragraph) return errorReply('That paragraph is no longer in the report.');
    return renderParagraph(report, paragraph);
  },
};

const otherPassages: ComponentHandler = {
  prefix: BUTTON_PREFIX.otherPassages,
  async handle(invocation, services) {
    const refs = parseOtherPassages(invocation.customId.slice(BUTTON_PREFIX.otherPassages.length + 1));
    // Asking again gives the same hits with the matched words to bold; the refs fix which ones to show.
    const question = questionFromAnswerEmbed(invocation.message.embeds[0]);
    const asked = question ? services.library.ask(question, { preferred: [...new Set(refs.map((ref) => ref.report))] }).hits : [];
    const hits = refs.flatMap((ref) => {
      const fromAnswer = asked.find((hit) => hit.report === ref.report && hit.paragraph === ref.paragraph);
      return fromAnswer ? [fromAnswer] : services.library.hitsForKeys([`${ref.report}/p${ref.paragraph}`]);
    });
    return renderOtherPassages(hits);
  },
};

const askSuggestion: ComponentHandler = {
  prefix: BUTTON_PREFIX.ask,
  async handle(invocation, services) {
    return answerQuestion(invocation.customId.slice(BUTTON_PREFIX.ask.length + 1), invocation, services);
  },
};

const pin: ComponentHandler = {
  prefix: BUTTON_PREFIX.pin,
  async handle(invocation, services) {
    return pinOutcomeReply(await pinAnswer(invocation.message, invocation, services));
  },
};

export const componentHandlers: readonly ComponentHandler[] = [
  fullParagraph,
  otherPassages,
  askSuggestion,
  pin,
  voteHandler,
  voteReasonHandler,
  threadHandler,
];
