import { REST, Routes } from 'discord.js';
import { InteractionResponseType, InteractionType, MessageFlags } from 'discord-api-types/v10';
import type { ServerResponse } from 'node:http';
import { splitCustomId } from '../../bot/custom-ids.ts';
import { dispatchAutocomplete, dispatchCommand, dispatchComponent, expectsEphemeralReply, FORM_GONE } from '../../bot/dispatch.ts';
import { errorReply, toMessagePayload } from '../../bot/reply.ts';
import type { BotReply, BotServices } from '../../bot/types.ts';
import { describeError } from '../../core/errors.ts';
import type { LogContext, Logger } from '../../logger.ts';
import { respond, SLOW, within, type Deferral, type InteractionResponder } from '../respond.ts';
import { MalformedInteraction, parseInteraction, type ParsedInteraction } from './parse.ts';
import { flushed, SeenInteractions, SEEN_INTERACTIONS_LIMIT, sendJson, sendText } from './transport.ts';

/**
 * A verified interaction's body to its answer: parse (a shape we cannot read is a 400), refuse a
 * replayed id, dispatch, and answer through the shared procedure (respond.ts), deferring over the
 * interaction webhook when the handler is slow. Knows nothing of the server around it.
 */
export interface InteractionHandlerOptions {
  services: BotServices;
  rest: REST;
  logger: Logger;
  deferAfterMs: number;
  /** How long an interaction id is remembered (twice the signature window). */
  rememberIdsMs: number;
  now: () => number;
}

export interface InteractionHandler {
  handle(res: ServerResponse, raw: Buffer, context: LogContext): Promise<void>;
  /** Deferred replies still being sent: the server waits for them when it stops. */
  pending: ReadonlySet<Promise<void>>;
}

export function createInteractionHandler({
  services,
  rest,
  logger,
  deferAfterMs,
  rememberIdsMs,
  now,
}: InteractionHandlerOptions): InteractionHandler {
  const seenInteractions = new SeenInteractions(rememberIdsMs, SEEN_INTERACTIONS_LIMIT, now);
  /** A bot's user id equals its application id; the interaction names it if the config does not. */
  const servicesFor = (interaction: { applicationId: string }): BotServices =>
    services.botUserId !== undefined ? services : { ...services, botUserId: interaction.applicationId };

  /** Deferred replies still being sent; stop() waits for them. */
  const pending = new Set<Promise<void>>();

  function track(promise: Promise<void>): void {
    const guarded = promise.catch((error: unknown) => logger.error('deferred reply failed', { error: describeError(error) }));
    pending.add(guarded);
    void guarded.finally(() => pending.delete(guarded));
  }

  /** Answers a command or button: at once if the handler is quick, else deferred and finished over REST. */
  /** Speaks the shared answering procedure (respond.ts) over this request's response and the interaction webhook. */
  function responderFor(
    res: ServerResponse,
    interaction: Extract<ParsedInteraction, { kind: 'command' | 'component' }>,
  ): InteractionResponder {
    const { applicationId, token } = interaction;
    const original = Routes.webhookMessage(applicationId, token, '@original');
    const withoutFlags = (reply: BotReply) => {
      const { flags: _flags, ...edit } = toMessagePayload(reply);
      return edit;
    };
    return {
      async reply(reply) {
        if (reply.modal) sendJson(res, 200, { type: InteractionResponseType.Modal, data: reply.modal });
        else if (interaction.kind === 'component' && reply.updateMessage)
          sendJson(res, 200, { type: InteractionResponseType.UpdateMessage, data: withoutFlags(reply) });
        else sendJson(res, 200, { type: InteractionResponseType.ChannelMessageWithSource, data: toMessagePayload(reply) });
      },
      defer(deferral) {
        if (deferral.kind === 'update') sendJson(res, 200, { type: InteractionResponseType.DeferredMessageUpdate });
        else
          sendJson(res, 200, {
            type: InteractionResponseType.DeferredChannelMessageWithSource,
            data: deferral.ephemeral ? { flags: MessageFlags.Ephemeral } : {},
          });
        return flushed(res);
      },
      editOriginal: async (reply) => void (await rest.patch(original, { body: withoutFlags(reply), auth: false })),
      deleteOriginal: async () => void (await rest.delete(original, { auth: false })),
      followUp: async (reply) =>
        void (await rest.post(Routes.webhook(applicationId, token), { body: toMessagePayload(reply), auth: false })),
    };
  }

  /** Answers a command or button: at once if the handler is quick, else deferred and finished over REST in the background. */
  async function answer(
    res: ServerResponse,
    interaction: Extract<ParsedInteraction, { kind: 'command' | 'component' }>,
    work: Promise<BotReply>,
    context: LogContext,
  ): Promise<void> {
    // A button shows its loading state; a command's placeholder visibility cannot change later, so it is guessed and fixed up if wrong.
    const deferral: Deferral =
      interaction.kind === 'component' ? { kind: 'update' } : { kind: 'message', ephemeral: expectsEphemeralReply(interaction.invocation) };
    const logged = { kind: context.kind, name: context.name, guild: context.guild };
    await respond(work, responderFor(res, interaction), {
      deferAfterMs,
      deferral,
      onDeferred: (rest) => {
        context.deferred = true;
        const started = performance.now();
        track(
          rest.then(
            (how) => {
              if (how === 'placeholder not delivered') logger.warn('deferred response not delivered; dropping the reply', logged);
              else logger.info('deferred reply sent', { ...logged, how, ms: Math.round(performance.now() - started) });
            },
            (error: unknown) => {
              const status =
                typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number'
                  ? error.status
                  : undefined;
              logger.error('deferred reply failed', {
                ...logged,
                status,
                ms: Math.round(performance.now() - started),
                error: describeError(error).replaceAll(interaction.token, '[token]'),
              });
            },
          ),
        );
      },
    });
  }

  async function handle(res: ServerResponse, raw: Buffer, context: LogContext): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      context.reason = 'malformed JSON';
      return sendText(res, 400, 'malformed JSON');
    }
    let interaction: ParsedInteraction;
    try {
      interaction = parseInteraction(body);
    } catch (error) {
      if (!(error instanceof MalformedInteraction)) throw error;
      context.reason = error.message;
      return sendText(res, 400, `malformed interaction: ${error.message}`);
    }
    if (interaction.kind === 'ping') {
      context.kind = 'ping';
      return sendJson(res, 200, { type: InteractionResponseType.Pong });
    }
    if (!seenInteractions.firstTime(interaction.id)) {
      context.reason = 'interaction already handled (a replay)';
      return sendText(res, 409, 'interaction already handled');
    }
    context.guild = interaction.invocation.guildId ?? 'none';
    const services = servicesFor(interaction);
    switch (interaction.kind) {
      case 'command': {
        Object.assign(context, { kind: 'command', name: interaction.invocation.commandName });
        // The dispatcher catches every handler's failure and answers it: no second guard here.
        const work = dispatchCommand(interaction.invocation, services);
        return answer(res, interaction, work, context);
      }
      case 'component': {
        Object.assign(context, { kind: 'button', name: splitCustomId(interaction.invocation.customId).prefix });
        const work = dispatchComponent(interaction.invocation, services);
        return answer(res, interaction, work, context);
      }
      case 'autocomplete': {
        Object.assign(context, { kind: 'autocomplete', name: interaction.invocation.commandName });
        // Autocomplete cannot be deferred: past the deadline, offer nothing rather than fail.
        const choices = await within(dispatchAutocomplete(interaction.invocation, services), deferAfterMs);
        if (choices === SLOW) context.reason = 'autocomplete too slow';
        return sendJson(res, 200, {
          type: InteractionResponseType.ApplicationCommandAutocompleteResult,
          data: { choices: choices === SLOW ? [] : choices },
        });
      }
      case 'unsupported': {
        Object.assign(context, { kind: `type ${interaction.type}` });
        if (interaction.type === InteractionType.ModalSubmit) {
          return sendJson(res, 200, {
            type: InteractionResponseType.ChannelMessageWithSource,
            data: toMessagePayload(errorReply(FORM_GONE)),
          });
        }
        context.reason = 'unsupported interaction type';
        return sendText(res, 400, 'unsupported interaction type');
      }
    }
  }

  return { handle, pending };
}
