/**
 * Escaping of every string that comes from a user's data or config (feature names, models, prompt ids, segments,
 * customer ids, owners, finding summaries) before it goes into a Slack message, so that a name can neither ping
 * people nor inject a link nor break the message's own formatting.
 *
 * Slack's rules (https://api.slack.com/reference/surfaces/formatting#escaping): `&`, `<` and `>` are control
 * characters, written `&amp;`, `&lt;` and `&gt;`. Every mention and link is `<...>` (`<!channel>`, `<@U123>`,
 * `<https://evil|click>`), so with those three escaped none can be formed. What is left, and what we decide:
 * - `@channel`, `@here` and `@everyone` as plain words notify everyone when a message is posted with `link_names`
 *   (or pasted on by a person): a word joiner (U+2060, invisible) after the `@` breaks the word for Slack and reads
 *   the same. Other `@`s stay as they are: model and prompt ids like `summarize@v3` must copy as written.
 * - mrkdwn's formatting characters: names go in inline code (`code`), where Slack formats nothing, so they show
 *   verbatim, underscores and all; a backtick, which would end the code span, becomes a look-alike (U+02CB).
 *   Free text that cannot go in code (summaries, unit names) keeps snake_case underscores but swaps `*`, `~`, a
 *   backtick and an underscore at a word's edge (the ones that open or close bold, strike, code and italics) for
 *   look-alikes (U+2217, U+223C, U+02CB, U+FF3F), so `*bold*` in a feature name reads as it was written, not bold.
 */

const broadcast = /@(channel|here|everyone)\b/gi;
const wordJoiner = '\u2060';

/** `&`, `<`, `>` as Slack's entities, and broadcast words disarmed: for text Slack parses but does not format. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(broadcast, `@${wordJoiner}$1`);
}

/** A user string inside mrkdwn text: escaped, with the characters that would format it swapped for look-alikes. */
export function escapeMrkdwn(text: string): string {
  return escapeText(text)
    .replace(/\*/g, '\u2217')
    .replace(/~/g, '\u223c')
    .replace(/`/g, '\u02cb')
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\uff3f');
}

/** A name (feature, model, prompt, segment, customer) as inline code: shown verbatim, formatted by nothing. */
export function code(name: string): string {
  return '`' + codeText(name) + '`';
}

/** Text for inside a code span or block: escaped, a backtick (which would end it) swapped for a look-alike. */
export function codeText(text: string): string {
  return escapeText(text).replace(/`/g, '\u02cb');
}

/** Undoes the three entities, for the text rendering of a message in a terminal. */
export function unescapeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
