/**
 * Nesting depth of JSON text, measured in one linear pass before parsing. `JSON.parse` of a
 * document nested hundreds of thousands of levels is cheap, but everything that walks the result
 * afterwards (GraphQL variable coercion, logging, our own readers) recurses and can stall the
 * event loop for seconds; refusing such text up front keeps every later step bounded.
 */

/** Like serde_json's default recursion limit: far deeper than any honest request or upstream answer. */
export const MAX_JSON_DEPTH = 128;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when `text` nests objects or arrays deeper than `maxDepth` (strings are skipped, escapes honoured). */
export function exceedsJsonDepth(text: string, maxDepth = MAX_JSON_DEPTH): boolean {
  // Nesting deeper than maxDepth takes more than maxDepth opening brackets: counting them with
  // indexOf is far cheaper than the scan below, and settles almost every real body.
  if (countUpTo(text, '{', maxDepth + 1) + countUpTo(text, '[', maxDepth + 1) <= maxDepth) return false;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === BACKSLASH) index += 1;
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) {
      inString = true;
    } else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return false;
}

/** Occurrences of `char` in `text`, counted no further than `limit`. */
function countUpTo(text: string, char: string, limit: number): number {
  let count = 0;
  for (let index = text.indexOf(char); index !== -1 && count < limit; index = text.indexOf(char, index + 1)) count += 1;
  return count;
}

/** Thrown instead of parsing text nested deeper than the limit. */
export class JsonTooDeepError extends Error {
  constructor(readonly maxDepth: number) {
    super(`JSON nested deeper than ${maxDepth} levels`);
    this.name = 'JsonTooDeepError';
  }
}

/** `JSON.parse`, refusing excessive nesting before any parsing work. */
export function parseJsonWithDepthLimit(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (exceedsJsonDepth(text, maxDepth)) throw new JsonTooDeepError(maxDepth);
  return JSON.parse(text);
}
