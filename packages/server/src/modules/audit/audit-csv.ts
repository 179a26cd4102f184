import type { AuditEntry } from '@berth/contract';

const COLUMNS = [
  'id',
  'at',
  'username',
  'userId',
  'tokenId',
  'ip',
  'userAgent',
  'action',
  'target',
  'outcome',
  'status',
  'details',
] as const;

/**
 * One CSV field (RFC 4180). Cells that a spreadsheet would run as a formula are prefixed with
 * a quote, so an attacker-chosen username cannot become `=HYPERLINK(...)` in an admin's sheet.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditCsvHeader(): string {
  return `${COLUMNS.join(',')}\r\n`;
}

export function auditCsvRow(entry: AuditEntry): string {
  return `${COLUMNS.map((column) => csvField(entry[column])).join(',')}\r\n`;
}
