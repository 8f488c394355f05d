import { stripVTControlCharacters } from 'node:util';

/** A column: its heading and whether its cells line up on the right (numbers) or the left. */
export interface Column {
  title: string;
  align?: 'left' | 'right';
}

/**
 * Plain text columns separated by two spaces, the heading first, trailing spaces trimmed. Widths
 * ignore colour codes, so coloured cells line up too.
 */
export function renderTable(columns: Column[], rows: string[][]): string {
  const width = (text: string) => stripVTControlCharacters(text).length;
  const widths = columns.map((column, i) =>
    Math.max(width(column.title), ...rows.map((row) => width(row[i] ?? ''))),
  );
  const line = (cells: string[]) =>
    columns
      .map((column, i) => {
        const cell = cells[i] ?? '';
        const pad = ' '.repeat((widths[i] ?? 0) - width(cell));
        return column.align === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.title)), ...rows.map(line)].join('\n') + '\n';
}
