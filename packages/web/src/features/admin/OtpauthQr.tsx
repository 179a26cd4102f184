import { useEffect, useState } from 'react';
import { ErrorNotice } from '../../components/ui.js';
import { otpauthQrDataUrl } from './otpauth-qr.js';

/** The enrolment's QR code for an authenticator app to scan, beside the secret. */
export function OtpauthQr({ uri }: { uri: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    otpauthQrDataUrl(uri).then(
      (url) => current && setSrc(url),
      (err: unknown) => current && setError(err),
    );
    return () => {
      current = false;
    };
  }, [uri]);
  if (error) return <ErrorNotice error={error} />;
  if (!src) return <p className="muted">Drawing the QR code…</p>;
  return (
    <img
      className="otpauth-qr"
      src={src}
      width={180}
      height={180}
      alt="QR code of the authenticator link: scan it with your authenticator app"
    />
  );
}
