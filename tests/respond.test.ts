import { describe, expect, it } from 'vitest';
import { respond, type Deferral, type InteractionResponder } from '../src/adapters/respond.ts';
import type { BotReply } from '../src/bot/types.ts';

/** The answering procedure both transports share, against a responder that records what it is asked. */
function recorder(delivered = true): { calls: string[]; responder: InteractionResponder } {
  const calls: string[] = [];
  const note = (name: string) => async (reply?: BotReply) =>
    void calls.push(reply ? `${name} ${reply.content}${reply.ephemeral ? ' (private)' : ''}` : name);
  return {
    calls,
    responder: {
      reply: note('reply'),
      defer: async (deferral) => {
        calls.push(`defer ${deferral.kind === 'update' ? 'update' : deferral.ephemeral ? 'private' : 'public'}`);
        return delivered;
      },
      editOriginal: note('edit'),
      deleteOriginal: note('delete'),
      followUp: note('follow-up'),
    },
  };
}

const later = (reply: BotReply, ms = 30) => new Promise<BotReply>((resolve) => setTimeout(resolve, ms, reply));
const run = (work: Promise<BotReply>, deferral: Deferral, delivered = true) => {
  const { calls, responder } = recorder(delivered);
  return respond(work, responder, { deferAfterMs: 5, deferral }).then((how) => ({ how, calls }));
};

describe('respond', () => {
  it('a quick handler is answered at once', async () => {
    expect(await run(Promise.resolve({ content: 'hi' }), { kind: 'message', ephemeral: false })).toEqual({
      how: 'replied',
      calls: ['reply hi'],
    });
  });

  it('a slow one gets the placeholder, then the reply edits it', async () => {
    expect(await run(later({ content: 'answer' }), { kind: 'message', ephemeral: false })).toEqual({
      how: 'edited original',
      calls: ['defer public', 'edit answer'],
    });
  });

  it('a private reply to a public placeholder replaces it: an error never goes public', async () => {
    expect(await run(later({ content: 'no', ephemeral: true }), { kind: 'message', ephemeral: false })).toEqual({
      how: 'replaced original',
      calls: ['defer public', 'delete', 'follow-up no (private)'],
    });
  });

  it('after a button’s deferred update: an update edits the message, anything else follows up', async () => {
    expect(await run(later({ content: 'new', updateMessage: true }), { kind: 'update' })).toEqual({
      how: 'edited message',
      calls: ['defer update', 'edit new'],
    });
    expect(await run(later({ content: 'para', ephemeral: true }), { kind: 'update' })).toEqual({
      how: 'follow-up',
      calls: ['defer update', 'follow-up para (private)'],
    });
  });

  it('a placeholder that was never delivered sends nothing more', async () => {
    expect(await run(later({ content: 'x' }), { kind: 'message', ephemeral: true }, false)).toEqual({
      how: 'placeholder not delivered',
      calls: ['defer private'],
    });
  });
});
