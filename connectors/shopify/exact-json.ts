/**
 * Shopify's REST ids are 64-bit integers written as JSON numbers, and its own examples use ids past
 * 2^53 (`820982911946154508`), which `JSON.parse` rounds to another id. This reads such an integer
 * as the string of its digits instead, exactly; every other value parses as `JSON.parse` does.
 * (@shopify/shopify-api turns ids into strings for the same reason, with lossless-json.)
 */
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;

export function parseJsonExact(text: string): unknown {
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string, escapes included: digits inside it are text.
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
      continue;
    }
    if (c !== 0x2d /* - */ && (c < 0x30 || c > 0x39)) continue;
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text);
    if (!match) continue; // not a number: JSON.parse reports it
    const token = match[0];
    if (match[1] === undefined && match[2] === undefined && !Number.isSafeInteger(Number(token))) {
      out += `${text.slice(copied, i)}"${token}"`;
      copied = i + token.length;
    }
    i += token.length - 1;
  }
  return JSON.parse(copied === 0 ? text : out + text.slice(copied));
}
