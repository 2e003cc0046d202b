import lemmatizer from 'wink-lemmatizer';
import { stemmer } from 'stemmer';
import { isWordNetLemma } from './wordnet.ts';

/**
 * The lemma of an irregular form ("ran" -> run, "women" -> woman), which no suffix-stripping
 * stemmer finds; the word itself otherwise. A form that is a word of its own in WordNet ("left",
 * "found", "saw") keeps its own sense.
 */
export function irregularLemma(word: string): string {
  for (const lemma of [lemmatizer.lemmatizeVerb(word), lemmatizer.lemmatizeNoun(word)]) {
    if (lemma !== word && stemmer(lemma) !== stemmer(word) && !isWordNetLemma(word)) return lemma;
  }
  return word;
}

/** The word and its lemmas as noun, verb and adjective ("arrested" -> arrest), for looking it up in WordNet. */
export function lemmasOf(word: string): string[] {
  return [...new Set([word, lemmatizer.lemmatizeNoun(word), lemmatizer.lemmatizeVerb(word), lemmatizer.lemmatizeAdjective(word)])];
}
