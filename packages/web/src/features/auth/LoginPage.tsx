import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { Button, ErrorNotice, Field } from '../../components/ui.js';

/** Login, with a second step for the authenticator code (or a recovery code) when 2FA is on. */
export function LoginPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    try {
      const me = await client.auth.login({
        body: { username, password, ...(needsCode ? { totp } : {}) },
      });
      queryClient.setQueryData(keys.me, me);
      void navigate('/');
    } catch (err) {
      if (err instanceof ApiError && err.code === 'totp_required') {
        setNeedsCode(true);
        return;
      }
      setError(err);
    }
  };

  return (
    <main className="auth-page">
      <h1>Log in to Berth</h1>
      <form onSubmit={(e) => void submit(e)}>
        {!needsCode ? (
          <>
            <Field
              label="Username"
              value={username}
              autoComplete="username"
              onChange={(e) => setUsername(e.target.value)}
              required
            />
            <Field
              label="Password"
              type="password"
              value={password}
              autoComplete="current-password"
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </>
        ) : (
          <Field
            label="Authenticator code"
            value={totp}
            inputMode="numeric"
            autoComplete="one-time-code"
            hint="The 6 digits from your app, or one of your recovery codes"
            onChange={(e) => setTotp(e.target.value)}
            autoFocus
            required
          />
        )}
        <ErrorNotice error={error} />
        <Button type="submit" variant="primary">
          {needsCode ? 'Verify' : 'Log in'}
        </Button>
      </form>
    </main>
  );
}
