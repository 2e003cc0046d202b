/**
 * An article as read from a page or a text file, before any structure is found: its metadata and
 * its blocks, each verbatim. Both readers (text and HTML) produce this, and everything after works on it.
 */
export interface Article {
  title: string;
  /** Empty when the page does not say; never invented. */
  outlet: string;
  date: string;
  url: string;
  blocks: ArticleBlock[];
}

export type ArticleBlock = { kind: 'heading'; text: string } | { kind: 'paragraph'; text: string };

/** The longest line read as a heading; longer lines are paragraphs however they end. */
const HEADING_MAX_WORDS = 12;

/**
 * A heading is one short line that does not end a sentence ("New info from investigation:",
 * "Reaction"). A line ending in a full stop, question mark or closing quote is a paragraph.
 */
export function looksLikeHeading(block: string): boolean {
  if (block.includes('\n')) return false;
  const words = block.trim().split(/\s+/);
  if (words.length > HEADING_MAX_WORDS) return false;
  return !/[.!?"'”’)\]]$/.test(block.trim());
}

/** Collapses a block's inner line breaks and runs of spaces; the words and punctuation stay as they are. */
export function tidyBlock(text: string): string {
  return text
    .replace(/[ \t]*\r?\n[ \t]*/g, ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/** Plain text: the first line is the title; blank lines separate blocks. */
export function articleFromText(text: string): Article {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const titleIndex = lines.findIndex((line) => line.trim() !== '');
  const title = titleIndex === -1 ? '' : tidyBlock(lines[titleIndex] ?? '');
  const body = lines.slice(titleIndex + 1).join('\n');
  const blocks = body
    .split(/\n[ \t]*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block): ArticleBlock =>
      looksLikeHeading(block) ? { kind: 'heading', text: tidyBlock(block) } : { kind: 'paragraph', text: tidyBlock(block) },
    );
  return { title, outlet: '', date: '', url: '', blocks };
}

/** The text kept as `source.txt`: title, then the blocks, separated by blank lines. */
export function articleSourceText(article: Article): string {
  return [article.title, ...article.blocks.map((block) => block.text)].join('\n\n') + '\n';
}
