import type { BotReply } from '../bot/types.ts';

/**
 * The one answering procedure for both transports (gateway and HTTP interactions): answer at
 * once when the handler is quick; else put up Discord's placeholder in time, and when the reply
 * comes, edit the placeholder, or replace it when its visibility is wrong (an ephemeral error must
 * never go public), or follow up after a button's deferred update.
 */

/** The placeholder Discord shows while a slow handler works: a "thinking" message, or a button's loading state. */
export type Deferral = { kind: 'message'; ephemeral: boolean } | { kind: 'update' };

/** What a transport can do with one interaction. */
export interface InteractionResponder {
  /** The reply as the interaction's response (a message, or for a button that asks it, an update of its message). */
  reply(reply: BotReply): Promise<void>;
  /** The placeholder; resolves false when it could not be delivered (then nothing more is sent). */
  defer(deferral: Deferral): Promise<boolean>;
  editOriginal(reply: BotReply): Promise<void>;
  deleteOriginal(): Promise<void>;
  followUp(reply: BotReply): Promise<void>;
}

export type Delivery = 'replied' | 'edited original' | 'edited message' | 'follow-up' | 'replaced original' | 'placeholder not delivered';

const SLOW = Symbol('slow');

/** Said when a form (the 👎 modal) was ready too late to be shown. */
export const MODAL_TOO_LATE =
  'Your vote is counted. (The form for what was wrong could not open in time; take the 👎 back and give it again to add it.)';

/** The work's result, or SLOW if it has not settled within `ms`. */
export function within<T>(work: Promise<T>, ms: number): Promise<T | typeof SLOW> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<typeof SLOW>((resolve) => (timer = setTimeout(resolve, ms, SLOW)));
  return Promise.race([work, slow]).finally(() => clearTimeout(timer));
}
export { SLOW };

/**
 * Answers an interaction with the handler's reply. `deferral` is the placeholder to use if the
 * handler is slow; `onDeferred` runs once the placeholder is up (the HTTP adapter returns its
 * response there and finishes the rest in the background).
 */
export async function respond(
  work: Promise<BotReply>,
  responder: InteractionResponder,
  options: { deferAfterMs: number; deferral: Deferral; onDeferred?: (rest: Promise<Delivery>) => void },
): Promise<Delivery> {
  const first = await within(work, options.deferAfterMs);
  if (first !== SLOW) {
    await responder.reply(first);
    return 'replied';
  }
  const delivered = responder.defer(options.deferral);
  const rest = finish(work, delivered, responder, options.deferral);
  options.onDeferred?.(rest);
  return rest;
}

async function finish(
  work: Promise<BotReply>,
  delivered: Promise<boolean>,
  responder: InteractionResponder,
  deferral: Deferral,
): Promise<Delivery> {
  const [reply, placeholderUp] = await Promise.all([work, delivered]);
  if (!placeholderUp) return 'placeholder not delivered';
  // A form can only be the first response: past the placeholder, the person hears what was done instead.
  if (reply.modal) {
    await responder.followUp({ content: MODAL_TOO_LATE, ephemeral: true });
    return 'follow-up';
  }
  if (deferral.kind === 'update') {
    // After a deferred update, the original is the message the button is on.
    if (reply.updateMessage) {
      await responder.editOriginal(reply);
      return 'edited message';
    }
    await responder.followUp(reply);
    return 'follow-up';
  }
  if (Boolean(reply.ephemeral) === deferral.ephemeral) {
    await responder.editOriginal(reply);
    return 'edited original';
  }
  // The placeholder has the wrong visibility: remove it, and send the reply with its own flags.
  await responder.deleteOriginal();
  await responder.followUp(reply);
  return 'replaced original';
}
