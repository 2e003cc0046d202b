import Fuse from 'fuse.js';
import { foldForMatching } from '../text.ts';

const MAX_SUGGESTIONS = 3;

/** The questions a report answers well: offered by autocomplete and when a question is declined. */
export class Suggestions {
  private readonly fuzzy: Fuse<string>;
  /** Suggested question -> the paragraph that answers it, worked out on first need. */
  private answeringParagraph?: Map<string, string | undefined>;

  constructor(
    private readonly questions: readonly string[],
    private readonly bestParagraphOf: (question: string) => string | undefined,
  ) {
    this.fuzzy = new Fuse([...questions], { threshold: 0.4, ignoreLocation: true });
  }

  /** Autocomplete: questions that start with, resemble, or are answered where the typed words lead. */
  forTyped(typed: string, topParagraphs: readonly string[], limit = 25): string[] {
    const text = typed.trim();
    if (!text) return this.questions.slice(0, limit);
    const prefix = foldForMatching(text);
    const startsWith = this.questions.filter((question) => foldForMatching(question).startsWith(prefix));
    const fuzzy = this.fuzzy.search(text, { limit }).map((result) => result.item);
    return [...new Set([...startsWith, ...fuzzy, ...this.answeredIn(topParagraphs)])].slice(0, limit);
  }

  /** Up to three questions the report covers, those answered where the declined question led first. */
  forDeclined(topParagraphs: readonly string[]): string[] {
    return [...new Set([...this.answeredIn(topParagraphs), ...this.questions])].slice(0, MAX_SUGGESTIONS);
  }

  private answeredIn(paragraphs: readonly string[]): string[] {
    if (paragraphs.length === 0) return [];
    this.answeringParagraph ??= new Map(this.questions.map((question) => [question, this.bestParagraphOf(question)]));
    const wanted = new Set(paragraphs);
    return this.questions.filter((question) => {
      const paragraph = this.answeringParagraph?.get(question);
      return paragraph !== undefined && wanted.has(paragraph);
    });
  }
}
