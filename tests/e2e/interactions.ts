/**
 * Acting as Discord users against the bot through the fake: send an interaction, wait for the
 * bot's callback, read back the message it created, click its buttons.
 */
import type { FakeDiscord, InvokerOptions, RecordedRequest } from '../fake-discord/fake-discord.ts';

export const PERMISSIONS = {
  everyone: (1n << 6n) | (1n << 10n) | (1n << 11n) | (1n << 14n) | (1n << 15n) | (1n << 16n) | (1n << 31n) | (1n << 38n),
  manageMessages: 1n << 13n,
  pinMessages: 1n << 51n,
  manageGuild: 1n << 5n,
} as const;
export const MEMBER: InvokerOptions = { userId: '1300000000000000041', username: 'member', permissions: PERMISSIONS.everyone };
export const MODERATOR: InvokerOptions = {
  userId: '1300000000000000042',
  username: 'moderator',
  permissions: PERMISSIONS.everyone | PERMISSIONS.manageMessages,
};
/** May choose the server's and channels' reports. */
export const SERVER_MANAGER: InvokerOptions = {
  userId: '1300000000000000044',
  username: 'manager',
  permissions: PERMISSIONS.everyone | PERMISSIONS.manageGuild,
};
/** Has the 2025 Pin Messages permission but not Manage Messages. */
export const PINNER: InvokerOptions = {
  userId: '1300000000000000043',
  username: 'pinner',
  permissions: PERMISSIONS.everyone | PERMISSIONS.pinMessages,
};

export const REPLY_TIMEOUT_MS = 5000;

export const callbackOf = (id: string) => (r: RecordedRequest) =>
  r.method === 'POST' && r.path.startsWith(`/interactions/${id}/`) && r.path.endsWith('/callback');

export interface Sent {
  id: string;
  token: string;
}
export interface Answered extends Sent {
  callback: RecordedRequest;
  body: any;
  data: any;
}

/** Sends an interaction and waits for the bot's first callback to it. */
export async function interact(fake: FakeDiscord, send: () => Sent, timeoutMs = REPLY_TIMEOUT_MS): Promise<Answered> {
  const sent = send();
  const callback = await fake.waitForRequest(callbackOf(sent.id), timeoutMs);
  return { ...sent, callback, body: callback.body, data: callback.body?.data ?? {} };
}

export const slash = (
  fake: FakeDiscord,
  name: string,
  options: Record<string, string | number | boolean> = {},
  invoker: InvokerOptions = MEMBER,
) =>
  interact(fake, () =>
    fake.sendSlashCommand({
      name,
      ...invoker,
      options: Object.entries(options).map(([key, value]) => ({
        name: key,
        type: typeof value === 'string' ? 3 : typeof value === 'number' ? 4 : 5,
        value,
      })),
    }),
  );

export const ask = (fake: FakeDiscord, question: string, invoker: InvokerOptions = MEMBER) => slash(fake, 'ask', { question }, invoker);

export const autocomplete = (fake: FakeDiscord, name: string, option: string, typed: string, invoker: InvokerOptions = MEMBER) =>
  interact(fake, () => fake.sendAutocomplete({ name, ...invoker, options: [{ name: option, type: 3, value: typed, focused: true }] }));

/** The message Discord made of an interaction's reply (its id is what pins refer to). */
export async function originalMessage(fake: FakeDiscord, token: string): Promise<any> {
  const response = await fetch(`${fake.apiUrl}/v10/webhooks/${fake.ids.applicationId}/${token}/messages/@original`);
  if (!response.ok) throw new Error(`no original response for that interaction: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Custom ids of a message's buttons, in order. */
export function buttonIds(components: any[] | undefined): string[] {
  return (components ?? []).flatMap((row: any) =>
    (row.components ?? []).flatMap((c: any) => (typeof c.custom_id === 'string' ? [c.custom_id] : [])),
  );
}

export function buttonLabels(components: any[] | undefined): string[] {
  return (components ?? []).flatMap((row: any) =>
    (row.components ?? []).flatMap((c: any) => (typeof c.label === 'string' ? [c.label] : [])),
  );
}

export function buttonWithPrefix(message: { components?: any[] }, prefix: string): string {
  const id = buttonIds(message.components).find((candidate) => candidate.startsWith(`${prefix}:`));
  if (!id) throw new Error(`the message has no "${prefix}:" button; buttons: ${JSON.stringify(buttonIds(message.components))}`);
  return id;
}

/** Clicks a button on a message, sending the message as Discord does (its embeds and components). */
export const click = (fake: FakeDiscord, message: any, customId: string, invoker: InvokerOptions = MEMBER) =>
  interact(fake, () =>
    fake.sendButton({
      customId,
      ...invoker,
      message: { id: message.id, content: message.content, embeds: message.embeds, components: message.components },
    }),
  );

/** Asks a question and returns the reply with the message Discord made of it. */
export async function askForMessage(
  fake: FakeDiscord,
  question: string,
  invoker: InvokerOptions = MEMBER,
): Promise<Answered & { message: any }> {
  const answered = await ask(fake, question, invoker);
  if (answered.body?.type !== 4) throw new Error(`expected an answer (callback type 4), got ${JSON.stringify(answered.body)}`);
  return { ...answered, message: await originalMessage(fake, answered.token) };
}

/** Calls the fake's REST API as the bot would (e.g. to pin or unpin by hand, as a person in Discord). */
export async function rest(fake: FakeDiscord, token: string, method: string, path: string): Promise<Response> {
  return fetch(`${fake.apiUrl}/v10${path}`, { method, headers: { authorization: `Bot ${token}` } });
}

/** Everything a reply says, for "does it mention X" checks: content, embed texts, button labels. */
export function allText(data: any): string {
  const embeds: any[] = data?.embeds ?? [];
  return [
    data?.content ?? '',
    ...embeds.flatMap((e) => [
      e.author?.name,
      e.title,
      e.description,
      ...(e.fields ?? []).flatMap((f: any) => [f.name, f.value]),
      e.footer?.text,
    ]),
    ...buttonLabels(data?.components),
  ]
    .filter((part) => typeof part === 'string')
    .join('\n');
}

export const EPHEMERAL = 64;
