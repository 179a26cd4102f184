import { StackName } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { HOST } from '../../app/Layout.js';
import { Field, Page } from '../../components/ui.js';
import './stacks.css';

const StackEditor = lazy(() => import('./editor/StackEditor.js'));

const TEMPLATE = `services:
  web:
    image: nginx:alpine
    ports:
      - "8080:80"
    restart: unless-stopped
`;

/**
 * Pasting a `docker run` needs `client.composeConvert.fromRun` (issue 13, the convert branch).
 * Until that route is in the contract the button stays hidden; wire it here once it lands.
 */
const canConvertRun = 'composeConvert' in client;

/** A new stack: its name and its files in the editor; created as a folder, nothing runs yet. */
export default function NewStackPage() {
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const checked = StackName.safeParse(name);
  const shownError =
    nameError ?? (name && !checked.success ? checked.error.issues[0]?.message : undefined);

  return (
    <Page
      title="New stack"
      actions={
        <Link className="btn btn-default" to="/stacks">
          Back to stacks
        </Link>
      }
    >
      <div className="new-stack-name row-fields">
        <Field
          label="Name"
          placeholder="my-app"
          value={name}
          error={shownError}
          hint="Lower-case letters, digits, - and _; it names the containers (name-service-1)."
          onChange={(e) => {
            setName(e.target.value);
            setNameError(undefined);
          }}
        />
        {canConvertRun && (
          // Hidden until the compose-convert routes are merged (see canConvertRun).
          <button type="button" className="btn btn-default" disabled>
            From docker run…
          </button>
        )}
      </div>
      <Suspense fallback={<p className="loading">Loading the editor…</p>}>
        <StackEditor
          mode="create"
          canWrite
          name={name}
          initial={{ 'compose.yaml': TEMPLATE, '.env': '' }}
          onSave={async ({ files }) => {
            if (!checked.success) {
              setNameError(checked.error.issues[0]?.message ?? 'a stack needs a name');
              throw new Error('The stack needs a valid name first.');
            }
            try {
              await client.stacks.create({ params: { host: HOST }, body: { name, files } });
            } catch (err) {
              if (err instanceof ApiError) {
                const fields = err.fieldErrors();
                if (fields.name) setNameError(fields.name);
              }
              throw err;
            }
            await queryClient.invalidateQueries({ queryKey: keys.stacks(HOST) });
            void navigate(`/stacks/${name}`, { state: { created: true } });
          }}
        />
      </Suspense>
    </Page>
  );
}
