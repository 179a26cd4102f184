/**
 * The authenticator link as a QR code, drawn in the browser (the secret never leaves it) as an
 * SVG image. The options are fixed here so a test can draw the same code with the same library.
 */
export const QR_OPTIONS = { type: 'svg', errorCorrectionLevel: 'M', margin: 2 } as const;

export async function otpauthQrDataUrl(uri: string): Promise<string> {
  // Loaded only when enrolment starts: the library stays out of every other page's bundle.
  const { toString } = await import('qrcode');
  const svg = await toString(uri, QR_OPTIONS);
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
