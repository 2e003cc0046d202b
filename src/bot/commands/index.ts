import type { Command } from '../types.ts';
import { arrestsCommand } from './arrests.ts';
import { askCommand } from './ask.ts';
import { claimsCommand } from './claims.ts';
import { helpCommandFor } from './help.ts';
import { insightsCommand } from './insights.ts';
import { peopleCommand } from './people.ts';
import { pinAnswerCommand } from './pin-answer.ts';
import { pinsCommand } from './pins.ts';
import { quotesCommand } from './quotes.ts';
import { reloadCommand } from './reload.ts';
import { reportCommand } from './report.ts';
import { reportsCommand } from './reports.ts';
import { sourceCommand } from './source.ts';
import { threadsCommand } from './threads.ts';
import { timelineCommand } from './timeline.ts';
import { unansweredCommand } from './unanswered.ts';
import { unpinCommand } from './unpin.ts';

/** The one list of commands: dispatch, deploy-commands and every adapter read it. */
export const commands: readonly Command[] = [
  askCommand,
  arrestsCommand,
  peopleCommand,
  quotesCommand,
  claimsCommand,
  timelineCommand,
  sourceCommand,
  reportsCommand,
  helpCommandFor(() => commands),
  pinsCommand,
  unpinCommand,
  unansweredCommand,
  insightsCommand,
  reportCommand,
  reloadCommand,
  threadsCommand,
  pinAnswerCommand,
];

export function findCommand(name: string): Command | undefined {
  return commands.find((command) => command.data.name === name);
}
