import { ApplicationCommandOptionType, type RESTPostAPIApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { AutocompleteInvocation, BotReply, BotServices, Command, CommandInvocation, OptionValue } from './types.ts';
import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';

/**
 * Commands declare their options once, in their data; the handler then gets them typed
 * (`OptionsOf<typeof data>`) and checked: a value of the wrong type (a forged payload, a console
 * typo) is dropped here, so no handler coerces its options by hand.
 */

interface OptionData {
  readonly name: string;
  readonly type: ApplicationCommandOptionType;
  readonly options?: readonly OptionData[];
}

type Container = ApplicationCommandOptionType.Subcommand | ApplicationCommandOptionType.SubcommandGroup;

/** A subcommand's options are lifted to the top, as the adapters lift them. */
type Flattened<O> = O extends { readonly type: Container; readonly options?: infer Inner extends readonly OptionData[] }
  ? Flattened<Inner[number]>
  : O;

type ValueOf<T> = T extends ApplicationCommandOptionType.String
  ? string
  : T extends ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Number
    ? number
    : T extends ApplicationCommandOptionType.Boolean
      ? boolean
      : never;

/** The options a command's data declares, by name, each of the type its declaration says. */
export type OptionsOf<Data> = Data extends { readonly options?: infer Declared extends readonly OptionData[] }
  ? { [Option in Flattened<Declared[number]> as Option['name']]?: ValueOf<Option['type']> }
  : Record<string, never>;

export type TypedInvocation<Data> = Omit<CommandInvocation, 'options'> & { options: OptionsOf<Data> };

interface CommandSpec<Data> {
  data: Data;
  execute(invocation: TypedInvocation<Data>, services: BotServices): Promise<BotReply>;
  autocomplete?(invocation: AutocompleteInvocation, services: BotServices): Promise<APIApplicationCommandOptionChoice[]>;
}

export function defineCommand<const Data extends { readonly name: string; readonly options?: readonly OptionData[] }>(
  spec: CommandSpec<Data>,
): Command {
  return {
    data: spec.data as unknown as RESTPostAPIApplicationCommandsJSONBody,
    execute: (invocation, services) =>
      spec.execute({ ...invocation, options: checkedOptions(spec.data.options ?? [], invocation.options) as OptionsOf<Data> }, services),
    ...(spec.autocomplete && { autocomplete: spec.autocomplete }),
  };
}

const RUNTIME_TYPE: Partial<Record<ApplicationCommandOptionType, 'string' | 'number' | 'boolean'>> = {
  [ApplicationCommandOptionType.String]: 'string',
  [ApplicationCommandOptionType.Integer]: 'number',
  [ApplicationCommandOptionType.Number]: 'number',
  [ApplicationCommandOptionType.Boolean]: 'boolean',
};

/** The declared options whose values have the declared type; anything else is left out. */
function checkedOptions(declared: readonly OptionData[], given: Record<string, OptionValue>): Record<string, OptionValue> {
  const checked: Record<string, OptionValue> = {};
  for (const option of declared) {
    if (option.options) Object.assign(checked, checkedOptions(option.options, given));
    const value = given[option.name];
    if (
      value !== undefined &&
      typeof value === RUNTIME_TYPE[option.type] &&
      (option.type !== ApplicationCommandOptionType.Integer || Number.isInteger(value))
    ) {
      checked[option.name] = value;
    }
  }
  return checked;
}
