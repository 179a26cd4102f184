import { ProxySettingsUpdate, type ProxySettings } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { proxyKeys } from '../../api/proxy.js';
import { FormDialog, useSave } from '../../components/FormDialog.js';
import { Field } from '../../components/ui.js';

/** The ACME account of routes with automatic TLS: the email and the CA (admins). */
export function ProxySettingsDialog({
  settings,
  onClose,
}: {
  settings: ProxySettings;
  onClose: () => void;
}) {
  const queries = useQueryClient();
  const [email, setEmail] = useState(settings.acmeEmail ?? '');
  const [ca, setCa] = useState(settings.acmeCa ?? '');
  const { errors, setErrors, failure, save } = useSave(onClose);
  const submit = (): void => {
    const parsed = ProxySettingsUpdate.safeParse({
      acmeEmail: email.trim() || null,
      acmeCa: ca.trim() || null,
    });
    if (!parsed.success)
      return setErrors(
        Object.fromEntries(
          parsed.error.issues.map((i) => [i.path.map(String).join('.'), i.message]),
        ),
      );
    void save(async () => {
      await client.proxy.updateSettings({ body: parsed.data });
      await queries.invalidateQueries({ queryKey: proxyKeys.state });
    });
  };
  return (
    <FormDialog
      title="Proxy settings"
      description="The ACME account for routes with automatic TLS"
      submitLabel="Save"
      failure={failure}
      onSubmit={submit}
      onClose={onClose}
    >
      <Field
        label="ACME email"
        type="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={errors.acmeEmail}
        hint="Where the CA writes about expiring certificates; empty: none"
      />
      <Field
        label="ACME directory (CA)"
        value={ca}
        onChange={(e) => setCa(e.target.value)}
        error={errors.acmeCa}
        hint="Empty: Caddy's default (Let's Encrypt, then ZeroSSL)"
      />
    </FormDialog>
  );
}
