import { CONVERSATION_WINDOW_MS, currentContext, type ConversationContext } from '../core/answer/index.ts';
import type { BotStore } from '../store/types.ts';
import type { Invocation } from './types.ts';

/**
 * Where a conversation's context is kept between questions. The gateway and the console keep it
 * in memory (a channel's messages all reach one process); the HTTP mode keeps it in the store, as
 * the next question may reach another process or machine.
 */
export interface Conversations {
  get(key: string, now: number): Promise<ConversationContext | undefined>;
  set(key: string, context: ConversationContext): Promise<void>;
}

/** A thread started from an answer keeps that answer's context this long after its last question. */
export const THREAD_WINDOW_MS = 24 * 60 * 60 * 1000;

/** One member's conversation in one channel. */
export function memberConversationKey(invocation: Invocation): string {
  return `member:${invocation.guildId ?? 'dm'}:${invocation.channelId ?? 'none'}:${invocation.user.id}`;
}

/** A thread's conversation, shared by everyone who asks in it. */
export function threadConversationKey(threadId: string): string {
  return `thread:${threadId}`;
}

/** Threads keep their topic for a day; a member's conversation lasts the conversation window. */
function windowOf(key: string): number {
  return key.startsWith('thread:') ? THREAD_WINDOW_MS : CONVERSATION_WINDOW_MS;
}

function stillCurrent(key: string, context: ConversationContext | undefined, now: number): ConversationContext | undefined {
  return currentContext(context, now, windowOf(key));
}

/** Bounded in size (least recently used dropped) and in age (the window). */
export class MemoryConversations implements Conversations {
  private readonly contexts = new Map<string, ConversationContext>();

  constructor(private readonly maxEntries = 10_000) {}

  async get(key: string, now: number): Promise<ConversationContext | undefined> {
    const context = stillCurrent(key, this.contexts.get(key), now);
    if (!context) this.contexts.delete(key);
    return context;
  }

  async set(key: string, context: ConversationContext): Promise<void> {
    this.contexts.delete(key);
    this.contexts.set(key, context);
    if (this.contexts.size > this.maxEntries) this.contexts.delete(this.contexts.keys().next().value as string);
  }

  get size(): number {
    return this.contexts.size;
  }
}

/** Every so many saves, conversations older than the longest window are deleted from the store. */
const FORGET_EVERY_SAVES = 500;

/** Kept in the store, so any process can continue a conversation another one answered. */
export class StoredConversations implements Conversations {
  private saves = 0;

  constructor(private readonly store: BotStore) {}

  async get(key: string, now: number): Promise<ConversationContext | undefined> {
    const saved = await this.store.loadConversation(key, new Date(now - windowOf(key)));
    return stillCurrent(key, saved === undefined ? undefined : parseContext(saved), now);
  }

  async set(key: string, context: ConversationContext): Promise<void> {
    await this.store.saveConversation(key, JSON.stringify(context), new Date(context.at));
    if (++this.saves % FORGET_EVERY_SAVES === 0) await this.store.forgetConversations(new Date(context.at - THREAD_WINDOW_MS));
  }
}

/** A saved context read back; anything malformed (an older version, a hand edit) is no context. */
function parseContext(text: string): ConversationContext | undefined {
  try {
    const value = JSON.parse(text) as Partial<ConversationContext>;
    const valid =
      typeof value.reportId === 'string' &&
      typeof value.topic === 'string' &&
      typeof value.about === 'string' &&
      typeof value.at === 'number' &&
      Array.isArray(value.passages) &&
      value.passages.every((passage) => typeof passage === 'string');
    return valid ? (value as ConversationContext) : undefined;
  } catch {
    return undefined;
  }
}
