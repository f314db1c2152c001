/*
 * The one place that sets how every table is drawn. Tables wrap (never truncate: @oclif/table truncates by
 * default, which cut fixes to `An…` and secrets in the middle) and fit the terminal's width; with no terminal
 * (a pipe, a CI log) they fit LOG_WIDTH instead of growing to the width of their longest cell.
 *
 * Some values must stay in one piece to be copied: a secret, a command to run, a path. Wrapping would break them
 * across lines between border characters. When the table does not fit, those values move, longest first, to a
 * list under the table keyed by the row's name, and their cell says "(below)".
 */
import { stripVTControlCharacters } from 'node:util';
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'table');

/** The width of a table with no terminal: readable in a CI log or a pager, and close to sf's own help width. */
export const LOG_WIDTH = 120;

/** A cell may be empty (undefined): @oclif/table draws it blank. */
type Row = Record<string, string | undefined>;

export type TableLayout = {
  /** The width to fit, in columns. */
  width: number;
  /** Columns whose values must never be broken across lines. */
  whole?: string[];
  /** The column naming each row, for the list under the table. */
  key?: string;
};

export type FittedTable = {
  table: {
    data: Row[];
    columns?: Array<string | { key: string; width: number }>;
    overflow: 'wrap';
    maxWidth: number;
  };
  /** Lines to print under the table: the values that moved out of it, whole. */
  below: string[];
};

/**
 * The width tables fit: @oclif/table's own override (OCLIF_TABLE_COLUMN_OVERRIDE), else the terminal's, else
 * LOG_WIDTH. Node knows a terminal's width only when stdout is one; COLUMNS is not read (neither does @oclif/table).
 */
export function tableWidth(stdout: { isTTY?: boolean; columns?: number } = process.stdout): number {
  const override = Number.parseInt(process.env.OCLIF_TABLE_COLUMN_OVERRIDE ?? '', 10);
  if (override > 0) return override;
  return stdout.isTTY && stdout.columns && stdout.columns > 0 ? stdout.columns : LOG_WIDTH;
}

/** Display width of a cell's widest line (one column per code point: the values here are not East Asian). */
function cellWidth(value: string): number {
  return Math.max(
    0,
    ...stripVTControlCharacters(value)
      .split('\n')
      .map((line) => [...line].length),
  );
}

/** Width of each column as drawn by @oclif/table: its widest cell or header, plus padding 1 on each side. */
function naturalWidths(rows: Row[], columns: string[]): number[] {
  return columns.map((c) => Math.max(cellWidth(c), ...rows.map((r) => cellWidth(r[c] ?? ''))) + 2);
}

/** Natural width of a table: its columns and a border between and around them. */
function naturalWidth(rows: Row[], columns: string[]): number {
  return naturalWidths(rows, columns).reduce((a, b) => a + b, 0) + columns.length + 1;
}

/** The longest word a column would like to keep on one line (bounded: a long one is broken anyway). */
const WORD_LIMIT = 24;

/**
 * Column widths for a table wider than `width`. @oclif/table shrinks the widest column first, down to its header
 * (a 49-character check name became 5 columns wide, one syllable a line). Here every column keeps its header and
 * its longest word (up to WORD_LIMIT; the key column, naming the row, all of it), and the room left is shared by lowering one cap on all columns together,
 * so the widest ones give way first but evenly.
 */
export function shareWidths(rows: Row[], columns: string[], width: number, key?: string): number[] {
  const natural = naturalWidths(rows, columns);
  const floors = columns.map((c, i) => {
    const words = rows.flatMap((r) => stripVTControlCharacters(r[c] ?? '').split(/\s+/));
    const longestWord = Math.max(0, ...words.map((w) => [...w].length));
    const limit = c === key ? Infinity : WORD_LIMIT;
    return Math.min(natural[i], Math.max(cellWidth(c), Math.min(longestWord, limit)) + 2);
  });
  const room = width - columns.length - 1;
  // Too narrow for every whole word: the other columns break theirs first (down to their header), the key last.
  const least = columns.map((c) => cellWidth(c) + 2);
  const order = columns.map((c, i) => i).sort((a, b) => Number(columns[a] === key) - Number(columns[b] === key));
  while (floors.reduce((a, b) => a + b, 0) > room) {
    const candidates = order.filter((i) => floors[i] > least[i]);
    const nonKey = candidates.filter((i) => columns[i] !== key);
    const pool = nonKey.length > 0 ? nonKey : candidates;
    if (pool.length === 0) break;
    const widest = pool.reduce((a, b) => (floors[b] > floors[a] ? b : a));
    floors[widest] -= 1;
  }
  const widthsAt = (cap: number): number[] => natural.map((n, i) => Math.max(floors[i], Math.min(n, cap)));
  const total = (widths: number[]): number => widths.reduce((a, b) => a + b, 0);
  let cap = Math.max(...natural);
  while (cap > 0 && total(widthsAt(cap)) > room) cap -= 1;
  const widths = widthsAt(cap);
  // The cap moves in whole columns: give what is left over to the columns still below their natural width.
  let spare = room - total(widths);
  for (let i = 0; spare > 0 && i < widths.length; i += 1) {
    const more = Math.min(spare, natural[i] - widths[i]);
    widths[i] += more;
    spare -= more;
  }
  return widths;
}

/** Lays a table out for `layout.width`: see the comment at the top. */
export function fitTable(data: Row[], layout: TableLayout): FittedTable {
  const marker = messages.getMessage('below');
  const rows = data.map((row) => ({ ...row }));
  let columns = [...new Set(data.flatMap((row) => Object.keys(row)))];
  const moved = new Map<string, Array<{ row: number; value: string }>>();
  const whole = (layout.whole ?? []).filter((c) => columns.includes(c));
  const movable = (): Array<{ row: number; column: string; length: number }> =>
    whole
      .flatMap((column) => rows.map((r, row) => ({ row, column, length: cellWidth(r[column] ?? '') })))
      .filter((cell) => cell.length > marker.length && rows[cell.row][cell.column] !== marker);
  while (naturalWidth(rows, columns) > layout.width) {
    const longest = movable().sort((a, b) => b.length - a.length)[0];
    if (!longest) break;
    const list = moved.get(longest.column) ?? [];
    list.push({ row: longest.row, value: rows[longest.row][longest.column] ?? '' });
    moved.set(longest.column, list);
    rows[longest.row][longest.column] = marker;
  }
  // A column left with nothing but markers and blanks says nothing: its values are all below.
  columns = columns.filter((c) => !moved.has(c) || rows.some((r) => r[c] && r[c] !== marker));
  const below = [...moved].flatMap(([column, list]) => [
    messages.getMessage('below.heading', [column]),
    ...list
      .sort((a, b) => a.row - b.row)
      .map(({ row, value }) => `  ${layout.key ? `${data[row][layout.key] ?? ''}: ` : ''}${value}`),
  ]);
  const table = { data: rows, overflow: 'wrap' as const, maxWidth: layout.width };
  if (naturalWidth(rows, columns) > layout.width) {
    const widths = shareWidths(rows, columns, layout.width, layout.key);
    return { table: { ...table, columns: columns.map((key, i) => ({ key, width: widths[i] })) }, below };
  }
  return { table: columns.length === Object.keys(data[0] ?? {}).length ? table : { ...table, columns }, below };
}

/** Prints a table that fits (see fitTable) and the values moved under it. Nothing is printed with --json. */
export function printTable(
  command: { table: (options: FittedTable['table']) => void; log: (line: string) => void },
  data: Row[],
  layout: Omit<TableLayout, 'width'> = {},
): void {
  const { table, below } = fitTable(data, { ...layout, width: tableWidth() });
  command.table(table);
  for (const line of below) command.log(line);
}
