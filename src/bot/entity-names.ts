import type { Entity } from '../core/knowledge/types.ts';
import { foldForMatching } from '../core/text.ts';

/** Whether what was typed names this entity: its id (an autocomplete value), name or an alias, in part. */
export function matchesEntityName(entity: Entity, typed: string): boolean {
  const wanted = foldForMatching(typed.trim());
  if (!wanted) return true;
  return entity.id === wanted || [entity.name, ...entity.aliases].some((name) => foldForMatching(name).includes(wanted));
}
