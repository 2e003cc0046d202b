import { PermissionFlagsBits } from 'discord-api-types/v10';

/**
 * Discord split Pin Messages (1 << 51) from Manage Messages (1 << 13) in 2025; either one lets a
 * member pin. Administrator implies every permission. Checked here, on our side, for every pin,
 * unpin and moderator command: default command permissions only hide commands, they do not guard them.
 */
export const PIN_MESSAGES = PermissionFlagsBits.PinMessages;
// Moderator commands are also hidden by default (default_member_permissions = PIN_MESSAGES, which
// Discord granted to everyone who had Manage Messages at the split); canPin still guards them.

export function canPin(permissions: bigint | null): boolean {
  if (permissions === null) return false;
  return (permissions & (PIN_MESSAGES | PermissionFlagsBits.ManageMessages | PermissionFlagsBits.Administrator)) !== 0n;
}

export const ONLY_MODERATORS = 'Only moderators can pin answers (it takes the Pin Messages or Manage Messages permission).';

/** Choosing a server's default report or reloading the knowledge takes Manage Server. */
export function canManageServer(permissions: bigint | null): boolean {
  if (permissions === null) return false;
  return (permissions & (PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator)) !== 0n;
}

/** Choosing a channel's default report takes Manage Channels (or Manage Server). */
export function canManageChannel(permissions: bigint | null): boolean {
  if (permissions === null) return false;
  return (permissions & (PermissionFlagsBits.ManageChannels | PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator)) !== 0n;
}
