import { StackName, type FromRunResult } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useState } from 'react';
import { lazyPage } from '../../app/lazy-page.js';
import { Link, useNavigate } from 'react-router';
import { ApiError, client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';
import { Field, Page } from '../../components/ui.js';
import { FromDockerRun } from './FromDockerRun.js';
import { UploadStack } from './UploadStack.js';
import './stacks.css';

const StackEditor = lazyPage(() => import('./editor/StackEditor.js'));

const TEMPLATE = `services:
  web:
    image: nginx:alpine
    ports:
      - "8080:80"
    restart: unless-stopped
`;

/** A new stack: its name and its files in the editor; created as a folder, nothing runs yet. */
export default function NewStackPage() {
  const host = useCurrentHost();
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  // A converted docker run replaces compose.yaml: the editor opens again on the new files.
  const [initial, setInitial] = useState<Record<string, string>>({
    'compose.yaml': TEMPLATE,
    '.env': '',
  });
  const [opened, setOpened] = useState(0);
  const [warnings, setWarnings] = useState<FromRunResult['warnings']>([]);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const checked = StackName.safeParse(name);
  const shownError =
    nameError ?? (name && !checked.success ? checked.error.issues[0]?.message : undefined);

  return (
    <Page
      title="New stack"
      actions={
        <Link className="btn btn-default" to={hostPath(host, 'stacks')}>
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
        <FromDockerRun
          onConverted={(result) => {
            setInitial((files) => ({ ...files, 'compose.yaml': result.yaml }));
            setWarnings(result.warnings);
            setOpened((n) => n + 1);
            if (!name && StackName.safeParse(result.service.name).success)
              setName(result.service.name);
          }}
        />
        <UploadStack name={name} />
      </div>
      {warnings.length > 0 && (
        <div className="notice" role="status" data-testid="run-warnings">
          <p>Not carried over from the docker run command:</p>
          <ul>
            {warnings.map((w) => (
              <li key={`${w.flag}:${w.message}`}>
                <code>{w.flag}</code> {w.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <Suspense fallback={<p className="loading">Loading the editor…</p>}>
        <StackEditor
          key={opened}
          mode="create"
          canWrite
          name={name}
          initial={initial}
          onSave={async ({ files }) => {
            if (!checked.success) {
              setNameError(checked.error.issues[0]?.message ?? 'a stack needs a name');
              throw new Error('The stack needs a valid name first.');
            }
            try {
              await client.stacks.create({ params: { host }, body: { name, files } });
            } catch (err) {
              if (err instanceof ApiError) {
                const fields = err.fieldErrors();
                if (fields.name) setNameError(fields.name);
              }
              throw err;
            }
            await queryClient.invalidateQueries({ queryKey: keys.stacks(host) });
            void navigate(hostPath(host, `stacks/${name}`), { state: { created: true } });
          }}
        />
      </Suspense>
    </Page>
  );
}
