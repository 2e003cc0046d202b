import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { tidyBlock, type Article, type ArticleBlock } from './article.ts';

/** Reader view finds the article; below this many characters it gives up on a page. */
const READER_MIN_CHARACTERS = 200;

/** Thrown when a page holds no article to read: the message says what was found instead. */
export class NoArticleError extends Error {
  override name = 'NoArticleError';
}

type Page = ReturnType<typeof parseHTML>['document'];

/** An HTML page: the article as Firefox's reader view sees it, and the page's own metadata. */
export function articleFromHtml(html: string, pageUrl = ''): Article {
  const page = parseHTML(html).document;
  const metadata = pageMetadata(page);
  // Readability changes the document it reads, so it gets its own copy.
  const reader = new Readability(parseHTML(html).document as unknown as ConstructorParameters<typeof Readability>[0], {
    charThreshold: READER_MIN_CHARACTERS,
  });
  const parsed = reader.parse();
  if (!parsed?.content) throw new NoArticleError('no article found in the page (reader view found no main text)');
  const title = tidyBlock(metadata.title || parsed.title || '');
  const blocks = articleBlocks(parsed.content).filter((block, index) => !(index === 0 && block.kind === 'heading' && block.text === title));
  if (!blocks.some((block) => block.kind === 'paragraph'))
    throw new NoArticleError('no article found in the page (reader view found no paragraphs)');
  return {
    title,
    outlet: tidyBlock(metadata.outlet || parsed.siteName || ''),
    date: tidyBlock(metadata.date || parsed.publishedTime || ''),
    url: safeUrl(metadata.url || pageUrl),
    blocks,
  };
}

/** Headings and paragraphs in reading order; lists' items and block quotes are paragraphs too. */
function articleBlocks(content: string): ArticleBlock[] {
  const fragment = parseHTML(`<!doctype html><html><body>${content}</body></html>`).document;
  const blocks: ArticleBlock[] = [];
  for (const element of fragment.querySelectorAll('h1, h2, h3, h4, h5, h6, p, li, blockquote')) {
    // A paragraph inside a list item or a quote is read once, as itself.
    if (element.parentElement?.closest('p, li, blockquote')) continue;
    if (['LI', 'BLOCKQUOTE'].includes(element.tagName) && element.querySelector('p')) continue;
    const text = tidyBlock(element.textContent ?? '');
    if (!text || isByline(element, text, !blocks.some((block) => block.kind === 'paragraph'))) continue;
    blocks.push({ kind: /^H[1-6]$/.test(element.tagName) ? 'heading' : 'paragraph', text });
  }
  return blocks;
}

/** The author and date line ("By Ruth Kavanagh · 16 Apr 2025"): page furniture, not the report's words. */
const BYLINE_MAX_WORDS = 25;

function isByline(element: Element, text: string, beforeFirstParagraph: boolean): boolean {
  if (text.split(/\s+/).length > BYLINE_MAX_WORDS) return false;
  const marked = /byline|author|dateline|timestamp/i.test(`${element.getAttribute('class') ?? ''} ${element.getAttribute('rel') ?? ''}`);
  // "By Ruth Kavanagh" opens an article; "By Tuesday, ..." later on is the report's own words.
  return (
    marked || element.querySelector('time, [rel="author"]') !== null || (beforeFirstParagraph && /^By\s+\p{Lu}\p{Ll}+\s+\p{Lu}/u.test(text))
  );
}

type Element = ReturnType<Page['querySelectorAll']>[number];

interface PageMetadata {
  title: string;
  outlet: string;
  date: string;
  url: string;
}

/** Open Graph and article meta tags, then JSON-LD (NewsArticle), then the page's <title>. */
function pageMetadata(page: Page): PageMetadata {
  const meta = (...names: string[]): string => {
    for (const name of names) {
      const value = page.querySelector(`meta[property="${name}"], meta[name="${name}"]`)?.getAttribute('content');
      if (value?.trim()) return value.trim();
    }
    return '';
  };
  const linked = linkedData(page);
  return {
    title: meta('og:title', 'twitter:title') || linked.headline || page.querySelector('title')?.textContent?.trim() || '',
    outlet: meta('og:site_name', 'application-name') || linked.publisher,
    date: meta('article:published_time', 'datePublished', 'date', 'dc.date') || linked.datePublished,
    url: page.querySelector('link[rel="canonical"]')?.getAttribute('href')?.trim() || meta('og:url') || linked.url,
  };
}

interface LinkedArticle {
  headline: string;
  publisher: string;
  datePublished: string;
  url: string;
}

/** The first JSON-LD object that looks like an article; a script that is not valid JSON is skipped. */
function linkedData(page: Page): LinkedArticle {
  const found: LinkedArticle = { headline: '', publisher: '', datePublished: '', url: '' };
  for (const script of page.querySelectorAll('script[type="application/ld+json"]')) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? '');
    } catch {
      continue;
    }
    const candidates = Array.isArray(data) ? data : isRecord(data) && Array.isArray(data['@graph']) ? data['@graph'] : [data];
    const article = candidates.find(
      (candidate): candidate is Record<string, unknown> => isRecord(candidate) && typeof candidate.headline === 'string',
    );
    if (!article) continue;
    const publisher = article.publisher;
    return {
      headline: String(article.headline ?? ''),
      publisher:
        isRecord(publisher) && typeof publisher.name === 'string' ? publisher.name : typeof publisher === 'string' ? publisher : '',
      datePublished: typeof article.datePublished === 'string' ? article.datePublished : '',
      url: typeof article.url === 'string' ? article.url : '',
    };
  }
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Only http(s) links are kept: a page's `javascript:` or relative link is no citation. */
function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : '';
  } catch {
    return '';
  }
}
