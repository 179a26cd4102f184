import type { Me } from '@berth/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { Button, Card, ErrorNotice, Field } from '../../components/ui.js';
import { OtpauthQr } from './OtpauthQr.js';

/** Your sessions, and two-factor authentication: enrol with a code, get recovery codes. */
export function SecurityCard({ me }: { me: Me }) {
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: ['sessions'],
    queryFn: () => client.sessions.list(),
  });
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const [code, setCode] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const start = async (): Promise<void> => setEnrolment(await client.twoFactor.setup());
  const enable = async (): Promise<void> => {
    try {
      setCodes((await client.twoFactor.enable({ body: { code } })).recoveryCodes);
      setEnrolment(null);
      await queryClient.invalidateQueries({ queryKey: keys.me });
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (id: string): Promise<void> => {
    await client.sessions.remove({ params: { id } });
    await queryClient.invalidateQueries({ queryKey: ['sessions'] });
  };
  return (
    <Card title="Sign-in security">
      <h3>Two-factor authentication: {me.user.totpEnabled ? 'on' : 'off'}</h3>
      {!me.user.totpEnabled && !enrolment && <Button onClick={() => void start()}>Turn on</Button>}
      {enrolment && (
        <div>
          <div className="otpauth">
            <OtpauthQr uri={enrolment.otpauthUri} />
            <div>
              <p>
                Scan the code with your authenticator app, or add this secret to it:{' '}
                <code>{enrolment.secret}</code>
              </p>
              <p className="muted">
                Or open: <span data-testid="otpauth-uri">{enrolment.otpauthUri}</span>
              </p>
            </div>
          </div>
          <Field
            label="Code from the app"
            inputMode="numeric"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <Button variant="primary" onClick={() => void enable()}>
            Verify and turn on
          </Button>
        </div>
      )}
      {codes && (
        <div className="notice" role="status">
          <p>Recovery codes, each works once. Keep them somewhere safe; they are shown only now:</p>
          <pre>{codes.join('\n')}</pre>
        </div>
      )}
      <ErrorNotice error={error} />
      <h3>Sessions</h3>
      <ul className="plain">
        {(sessions.data?.sessions ?? []).map((s) => (
          <li key={s.id}>
            {s.userAgent ?? 'unknown client'} from {s.ip ?? '?'} · last seen{' '}
            {new Date(s.lastSeenAt).toLocaleString()}{' '}
            {s.current ? (
              <strong>(this one)</strong>
            ) : (
              <Button className="btn-small" onClick={() => void revoke(s.id)}>
                End
              </Button>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}
