import { toString as qrSvg } from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../packages/server/src/modules/auth/totp.js';
import { QR_OPTIONS } from '../packages/web/src/features/admin/otpauth-qr.js';
import { screenshot, setupAndLogin, startUi, type UiHarness } from './ui-harness.js';

/** 2FA enrolment shows a QR code of the otpauth:// link, drawn in the browser. */
let ui: UiHarness;

beforeAll(async () => {
  ui = await startUi();
}, 120_000);

afterAll(async () => {
  await ui.stop();
});

describe('two-factor enrolment in Chromium', () => {
  it('shows the authenticator link as a QR code beside the secret, drawn without the network', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    // From here on, nothing but Berth itself may be asked (the QR code is drawn locally).
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin !== ui.base && url.protocol !== 'data:') elsewhere.push(request.url());
    });
    await page.getByRole('button', { name: 'Turn on' }).click();
    const qr = page.getByRole('img', { name: /QR code of the authenticator link/ });
    await qr.waitFor();
    const uri = (await page.getByTestId('otpauth-uri').textContent()) ?? '';
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    const secret = new URL(uri).searchParams.get('secret') ?? '';
    expect(await page.getByText(secret, { exact: true }).count()).toBe(1);

    // The image is the library's own drawing of exactly that link (drawn here again in Node).
    const src = (await qr.getAttribute('src')) ?? '';
    const expected = await qrSvg(uri, QR_OPTIONS);
    expect(decodeURIComponent(src.replace(/^data:image\/svg\+xml;charset=utf-8,/, ''))).toBe(
      expected,
    );
    // …and a different link would draw differently: the comparison can tell them apart.
    expect(await qrSvg(uri.replace(secret, 'A'.repeat(secret.length)), QR_OPTIONS)).not.toBe(
      expected,
    );
    const size = await qr.evaluate((img) => (img as { naturalWidth: number }).naturalWidth);
    expect(size).toBeGreaterThan(0);
    expect(elsewhere).toEqual([]);
    await screenshot(page, 'two-factor-enrolment');

    // The enrolment still completes with a code from the secret shown beside it.
    await page.getByLabel('Code from the app').fill(totpCode(secret, Date.now()));
    await page.getByRole('button', { name: 'Verify and turn on' }).click();
    await page.getByText('Recovery codes, each works once').waitFor();
    await context.close();
  });
});
