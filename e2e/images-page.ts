import type { Locator, Page } from 'playwright-core';

/** The Images page's parts as a user finds them: rows, a row's menu, the dialogs. */

/** The row of an image that has this text (a tag, its short id). */
export const imageRow = (page: Page, text: string): Locator =>
  page.getByTestId('image-row').filter({ hasText: text });

/** Opens the row's menu and picks an item ("Details and history", "Push…", "Remove…"). */
export async function rowAction(row: Locator, item: string): Promise<void> {
  const page = row.page();
  await row.getByRole('button', { name: /^Actions for / }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
}

/** The open details dialog of an image. */
export const detailsDialog = (page: Page): Locator =>
  page.getByRole('dialog').filter({ has: page.getByTestId('image-details') });

/** Opens an image's details (tags, users, history, tagging) from its row's menu. */
export async function openDetails(page: Page, text: string): Promise<Locator> {
  await rowAction(imageRow(page, text), 'Details and history');
  const dialog = detailsDialog(page);
  await dialog.waitFor();
  return dialog;
}

/** Opens a header action (a dialog or side panel) by its button and gives the dialog. */
export async function openHeaderDialog(
  page: Page,
  button: string,
  title = button,
): Promise<Locator> {
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: title, exact: true });
  await dialog.waitFor();
  return dialog;
}

/** Closes a Radix dialog or panel by its close button and waits until it is gone. */
export async function closeDialog(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}
