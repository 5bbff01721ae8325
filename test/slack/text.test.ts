import { describe, expect, it } from 'vitest';
import { context, divider, header, section, tableSection } from '../../functions/slack/blocks.js';
import { code, escapeMrkdwn } from '../../functions/slack/escape.js';
import type { SlackMessage } from '../../functions/slack/message.js';
import { messageText, plain } from '../../functions/slack/text.js';
import { renderTable } from '../../functions/format/table.js';

describe('plain', () => {
  it.each([
    ['bold', '*$125.00* spent', '$125.00 spent'],
    ['italics', 'it is _quite_ late', 'it is quite late'],
    ['strike', 'was ~wrong~ fixed', 'was wrong fixed'],
    ['inline code', 'feature `support_bot`', 'feature support_bot'],
    ['a link with a label', 'see <https://example.com|the docs>', 'see the docs (https://example.com)'],
    ['entities', 'R&amp;D &lt;!channel&gt;', 'R&D <!channel>'],
    ['snake_case, untouched', 'support_bot and code_review', 'support_bot and code_review'],
  ])('takes the marks off %s', (_, mrkdwn, text) => {
    expect(plain(mrkdwn)).toBe(text);
  });

  it('keeps a code block as it is, fences off, marks and all', () => {
    expect(plain('*Table*\n```\na  *b*\n```')).toBe('Table\na  *b*');
  });
});

describe('messageText', () => {
  const table = renderTable(
    [
      { header: 'feature', value: (r: { name: string; usd: string }) => r.name },
      { header: 'spend', align: 'right', value: (r) => r.usd },
    ],
    [
      { name: 'a & b', usd: '$1.00' },
      { name: 'long_feature_name', usd: '$1,000.00' },
    ],
  );
  const message: SlackMessage = {
    key: 'digest:2026-11-16',
    kind: 'digest',
    channel: null,
    text: 'fallback',
    blocks: [
      header('Weekly AI spend'),
      section(`*$125.00* spent in ${code('<!here>')} by ${escapeMrkdwn('*me*')}`),
      tableSection('*By feature*', table, (n) => `…and ${n} more`),
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*Since*\n2026-11-20 09:00 UTC' }] },
      divider(),
      context('as of 2026-11-23', 'days are UTC'),
    ],
    files: [{ filename: 'chart.png', title: 'The chart', content: new Uint8Array([1]), altText: 'Spend rising.' }],
  };

  it('reads the blocks in order as a person reads them in a terminal', () => {
    expect(messageText(message)).toBe(
      [
        'Weekly AI spend\n═══════════════',
        '$125.00 spent in <!here> by \u2217me\u2217',
        `By feature\n${table}`,
        'Since: 2026-11-20 09:00 UTC',
        '─'.repeat(40),
        'as of 2026-11-23  ·  days are UTC',
        '[attached: chart.png: The chart. Spend rising.]',
      ].join('\n\n'),
    );
  });

  it("keeps a table's columns aligned though a name was escaped for Slack", () => {
    const lines = messageText(message).split('\n').filter((l) => /\$1(,000)?\.00$/.test(l));
    expect(lines).toEqual(['a & b                  $1.00', 'long_feature_name  $1,000.00']);
  });
});
