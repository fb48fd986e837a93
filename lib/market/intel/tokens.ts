/**
 * The search tokens of a text: what the token index (`INTEL_TOKEN#<token>` postings, see
 * store.ts) is keyed by. Pure, so the index writer, the query side and the bench agree.
 *
 *  - NFKD, accents dropped, lower case: "Préis" and "preis" are one token;
 *  - split on anything that is not a letter or a digit;
 *  - runs of CJK characters (Han, kana, Hangul) have no spaces between words, so they are
 *    indexed as overlapping character bigrams ("智能门锁" → 智能, 能门, 门锁; one character alone
 *    stays a token); a query is tokenized the same way, so it finds the phrase's bigrams;
 *  - stop words and one-letter Latin words are dropped; numbers are kept;
 *  - a token is at most MAX_TOKEN_LENGTH characters (longer words are cut, on both sides).
 */
export const MAX_TOKEN_LENGTH = 32;
/** Tokens indexed per entry (title first, then summary): bounds the entry's transaction. */
export const MAX_ENTRY_TOKENS = 32;
/** Distinct tokens a query may hold. */
export const MAX_QUERY_TOKENS = 8;

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by for from had has have he her his how i if in into is it its of on or our she so than that the their them then there these they this to was we were what when where which who will with you your ' +
    'der die das und ist ein eine le la les et un une des du de el los las y en ' +
    '的 了 和 是 在 与 及'
  ).split(' '),
);

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const SEPARATOR = /[^\p{L}\p{N}]+/u;

/** Accents dropped, compatibility forms folded (full-width letters, ligatures), lower case. */
export function normalizeText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Every token of `text`, in order of first appearance, without duplicates. */
export function tokenize(text: string): string[] {
  const seen = new Set<string>();
  for (const word of normalizeText(text).split(SEPARATOR)) {
    if (!word) continue;
    for (const token of splitScripts(word)) {
      if (STOP_WORDS.has(token)) continue;
      if (token.length === 1 && /\p{Script=Latin}/u.test(token)) continue;
      seen.add(token.slice(0, MAX_TOKEN_LENGTH));
    }
  }
  return [...seen];
}

/** A word mixing scripts ("s2智能锁") is cut where CJK starts or ends; CJK runs become bigrams. */
function splitScripts(word: string): string[] {
  const tokens: string[] = [];
  let run = '';
  let runIsCjk = false;
  const flush = () => {
    if (!run) return;
    if (!runIsCjk) tokens.push(run);
    else {
      const chars = [...run];
      if (chars.length === 1) tokens.push(run);
      for (let index = 0; index + 1 < chars.length; index++) tokens.push(`${chars[index]}${chars[index + 1]}`);
    }
    run = '';
  };
  for (const char of word) {
    const isCjk = CJK.test(char);
    if (run && isCjk !== runIsCjk) flush();
    runIsCjk = isCjk;
    run += char;
  }
  flush();
  return tokens;
}

/** The tokens an entry is indexed under: title first, then summary, at most MAX_ENTRY_TOKENS. */
export function entryTokens(title: string, summary: string): string[] {
  return [...new Set([...tokenize(title), ...tokenize(summary)])].slice(0, MAX_ENTRY_TOKENS);
}
