import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { SquadArticle } from '../core/eval-uncurated.ts';

/** SQuAD 2.0 tuning articles (CC BY-SA 4.0, Rajpurkar, Jia and Liang 2018), copied into bench/data. */
export const SQUAD_TUNING_FILE = path.resolve(import.meta.dirname, '../../bench/data/squad-v2-tuning.json.gz');

export function readSquadArticles(file: string = SQUAD_TUNING_FILE): SquadArticle[] {
  const parsed = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { data: SquadArticle[] };
  return parsed.data;
}
