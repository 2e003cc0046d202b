import { articleFromText, articleSourceText, type Article } from './article.ts';
import { slug } from './entities.ts';
import { articleFromHtml } from './html.ts';
import { knowledgeFiles } from './knowledge-files.ts';
import { keepCuration, type KnowledgeFiles } from './merge.ts';
import { findStructure, type FoundStructure } from './structure.ts';

export { NoArticleError } from './html.ts';
export type { Article } from './article.ts';
export type { FoundStructure } from './structure.ts';
export type { KnowledgeFiles } from './merge.ts';

/** HTML when it says so (a content type or an `.html` name) or when it opens like a page. */
export function looksLikeHtml(content: string, hint = ''): boolean {
  return /html/i.test(hint) || /^\s*(?:\uFEFF)?\s*<(?:!doctype|html|head|body|article|meta|div|p)\b/i.test(content);
}

export function readArticle(content: string, options: { html: boolean; pageUrl?: string }): Article {
  return options.html ? articleFromHtml(content, options.pageUrl) : articleFromText(content);
}

export interface ImportedReport {
  files: KnowledgeFiles;
  /** The article's text as read, kept as `source.txt` for the verbatim check. */
  sourceText: string;
  found: FoundStructure;
}

/**
 * A report ready to serve from an article: its structure found automatically, then whatever a
 * curator wrote by hand in an earlier import of the same report laid over it.
 */
export function importArticle(article: Article, options: { id?: string; existing?: Partial<KnowledgeFiles> } = {}): ImportedReport {
  const id = options.existing?.report?.id ?? options.id ?? reportIdFor(article.title);
  const found = findStructure(article);
  const files = keepCuration(knowledgeFiles(article, id, found), options.existing);
  return { files, sourceText: articleSourceText(article), found };
}

/** The folder name for a report: its title as lower-case words and dashes. */
export function reportIdFor(title: string): string {
  return slug(title.split(/\s+/).slice(0, 8).join(' ')) || 'report';
}
