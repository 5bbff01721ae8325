import { describe, expect, it } from 'vitest';
import { code, codeText, escapeMrkdwn, escapeText, unescapeEntities } from '../../functions/slack/escape.js';

const joiner = '\u2060';

describe('escapeText', () => {
  it.each([
    ['a special mention', '<!channel> look', '&lt;!channel&gt; look'],
    ['a user mention', 'ask <@U0123ABC>', 'ask &lt;@U0123ABC&gt;'],
    ['a link with a label', '<https://evil.example|click>', '&lt;https://evil.example|click&gt;'],
    ['an ampersand, first, so entities are not escaped twice', 'R&D &lt;', 'R&amp;D &amp;lt;'],
    ['@here as a plain word', 'hey @here now', `hey @${joiner}here now`],
    ['@channel and @everyone in any case', '@Channel @EVERYONE', `@${joiner}Channel @${joiner}EVERYONE`],
    ['an @ inside a model or prompt id, which must copy as written', 'summarize@v3 claude@20240620', 'summarize@v3 claude@20240620'],
    ['a word that only starts like a broadcast', '@herewith', '@herewith'],
  ])('escapes %s', (_, input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });
});

describe('escapeMrkdwn', () => {
  it.each([
    ['bold markers', '*bold*', '\u2217bold\u2217'],
    ['strike markers', '~gone~', '\u223cgone\u223c'],
    ['a backtick', 'a`b', 'a\u02cbb'],
    ['underscores at a word edge, which open italics', '_slanted_', '\uff3fslanted\uff3f'],
    ['snake_case, kept as written', 'support_bot', 'support_bot'],
    ['control characters too', '*<!here>*', '\u2217&lt;!here&gt;\u2217'],
  ])('swaps %s', (_, input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });
});

describe('code', () => {
  it('shows a name verbatim in inline code, escaped, with a backtick that would end it swapped', () => {
    expect(code('*bold*_x_')).toBe('`*bold*_x_`');
    expect(code('a`<!channel>')).toBe('`a\u02cb&lt;!channel&gt;`');
    expect(codeText('@here & co')).toBe(`@${joiner}here &amp; co`);
  });
});

describe('unescapeEntities', () => {
  it('gives back the text that was escaped', () => {
    const hostile = '<https://evil|click> & <!channel>';
    expect(unescapeEntities(escapeText(hostile))).toBe(hostile);
  });
});
