import type { ReactNode } from 'react';

/**
 * Renders the few Markdown constructs the network document uses — headings, paragraphs,
 * pipe tables and `code` — as React elements. Text only ever lands in text nodes (React escapes
 * it), so nothing in a network or container name can become markup.
 */
export function renderMarkdown(source: string): ReactNode[] {
  const lines = source.split('\n');
  const out: ReactNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min((heading[1] ?? '#').length + 1, 6);
      const Tag = `h${level}` as 'h2';
      out.push(<Tag key={i}>{inline(heading[2] ?? '')}</Tag>);
      i++;
    } else if (line.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && (lines[i] ?? '').startsWith('|')) {
        rows.push(cells(lines[i] ?? ''));
        i++;
      }
      const [head = [], separator, ...body] = rows;
      const hasHead = separator?.every((c) => /^:?-+:?$/.test(c)) ?? false;
      out.push(
        <table key={i} className="md-table">
          {hasHead && (
            <thead>
              <tr>
                {head.map((c, n) => (
                  <th key={n}>{inline(c)}</th>
                ))}
              </tr>
            </thead>
          )}
          <tbody>
            {(hasHead ? body : rows).map((row, r) => (
              <tr key={r}>
                {row.map((c, n) => (
                  <td key={n}>{inline(c)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>,
      );
    } else if (line.trim() === '') {
      i++;
    } else {
      const paragraph: string[] = [];
      while (
        i < lines.length &&
        (lines[i] ?? '').trim() !== '' &&
        !/^(#|\|)/.test(lines[i] ?? '')
      ) {
        paragraph.push(lines[i] ?? '');
        i++;
      }
      out.push(<p key={i}>{inline(paragraph.join(' '))}</p>);
    }
  }
  return out;
}

/** A table row's cells, with `\|` kept as a literal pipe. */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => unescape(c.trim()));
}

/** The document escapes only pipes in cells, and writes line breaks in them as <br>. */
function unescape(text: string): string {
  return text.replace(/\\\|/g, '|').replace(/<br>/g, ' ');
}

/** `code` spans; everything else is plain text. */
function inline(text: string): ReactNode[] {
  return text
    .split(/(`[^`]*`)/)
    .filter((part) => part !== '')
    .map((part, n) =>
      part.startsWith('`') && part.endsWith('`') && part.length >= 2 ? (
        <code key={n}>{part.slice(1, -1)}</code>
      ) : (
        <span key={n}>{unescape(part)}</span>
      ),
    );
}
