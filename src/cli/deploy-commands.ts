import 'dotenv/config';
import { REST, Routes } from 'discord.js';
import { commands } from '../bot/commands/index.ts';
import { ConfigError, readConfig } from '../config.ts';
import { describeError } from '../core/errors.ts';

/**
 * `npm run deploy-commands` registers the slash commands: in DISCORD_GUILD_ID when set (instant,
 * for development), else globally (can take up to an hour to show everywhere).
 * `--dry-run` prints the exact JSON payload and contacts nothing.
 */
const USAGE = `Usage: npm run deploy-commands [-- --dry-run]

Registers the slash commands with Discord: in DISCORD_GUILD_ID when set (instant, for
development), else globally (up to an hour to appear). --dry-run prints the payload and
contacts nothing.`;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) return void process.stdout.write(`${USAGE}\n`);
  const dryRun = process.argv.includes('--dry-run');
  const payload = commands.map((command) => command.data);
  if (dryRun) {
    process.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
    return;
  }
  const config = readConfig(process.env);
  if (!config.discordToken)
    throw new ConfigError([
      'DISCORD_TOKEN is needed to register commands. Put the bot token in .env (see .env.example), or use --dry-run to see the payload.',
    ]);
  if (!config.applicationId)
    throw new ConfigError([
      'DISCORD_APPLICATION_ID is needed to register commands: copy the Application ID from the Developer Portal → General Information.',
    ]);
  const rest = new REST({ api: config.apiUrl }).setToken(config.discordToken);
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.applicationId, config.guildId)
    : Routes.applicationCommands(config.applicationId);
  const registered = (await rest.put(route, { body: payload })) as unknown[];
  process.stdout.write(
    `Registered ${registered.length} commands ${config.guildId ? `in server ${config.guildId}` : 'globally (may take up to an hour to appear)'}.\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `Could not register the commands: ${describeError(error)}`}\n`);
  process.exit(1);
});
