import * as Tabs from '@radix-ui/react-tabs';
import { StackFilePath } from '@berth/contract';
import { useId, useMemo, useState } from 'react';
import { TabStrip, tabId } from '../../../components/TabStrip.js';
import { Button, ErrorNotice, Field } from '../../../components/ui.js';
import { StacksError } from '../StacksUnavailable.js';
import { CodeEditor } from './CodeEditor.js';
import { useValidation } from './useValidation.js';

const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

export interface SaveRequest {
  files: Record<string, string>;
  remove: string[];
  message: string;
}

/** compose first, then .env, then the rest by name. */
function order(paths: string[]): string[] {
  const rank = (p: string): number => (COMPOSE_FILES.includes(p) ? 0 : p === '.env' ? 1 : 2);
  return [...paths].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * A stack's files in the editor: a tab per file (add, remove), YAML highlighting, the server's
 * validation as you type (at the line in the editor, and listed as file:line path message), and
 * save with a note for the history. Loaded on demand (CodeMirror is its own chunk).
 */
export default function StackEditor({
  name,
  initial,
  mode,
  canWrite,
  onSave,
}: {
  name: string;
  initial: Record<string, string>;
  mode: 'create' | 'edit';
  canWrite: boolean;
  /** Writes the files; the editor keeps them as the new baseline when it resolves. */
  onSave: (request: SaveRequest) => Promise<void>;
}) {
  const [baseline, setBaseline] = useState(initial);
  const [files, setFiles] = useState(initial);
  const [active, setActive] = useState(() => order(Object.keys(initial))[0] ?? 'compose.yaml');
  const [jump, setJump] = useState<{ line: number } | null>(null);
  const [adding, setAdding] = useState('');
  const [addError, setAddError] = useState<string | undefined>();
  const [message, setMessage] = useState('');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [savedNote, setSavedNote] = useState('');
  const panelId = useId();
  const validation = useValidation(name, files);
  const paths = useMemo(() => order(Object.keys(files)), [files]);

  const removed = Object.keys(baseline).filter((p) => !(p in files));
  const changed = Object.fromEntries(
    Object.entries(files).filter(([p, text]) => baseline[p] !== text),
  );
  const dirty = removed.length > 0 || Object.keys(changed).length > 0;
  const composeFiles = paths.filter((p) => COMPOSE_FILES.includes(p));
  const canRemove = !(COMPOSE_FILES.includes(active) && composeFiles.length === 1);

  const add = (): void => {
    const path = adding.trim();
    const parsed = StackFilePath.safeParse(path);
    if (!parsed.success) {
      setAddError(parsed.error.issues[0]?.message ?? 'not a file path');
      return;
    }
    if (path in files) {
      setAddError(`${path} is already there`);
      return;
    }
    setFiles({ ...files, [path]: '' });
    setActive(path);
    setAdding('');
    setAddError(undefined);
  };
  const remove = (): void => {
    const rest = Object.fromEntries(Object.entries(files).filter(([p]) => p !== active));
    setFiles(rest);
    setActive(order(Object.keys(rest))[0] ?? 'compose.yaml');
  };
  const save = async (): Promise<void> => {
    setSaving(true);
    setSaveError(null);
    setSavedNote('');
    try {
      await onSave({ files: mode === 'create' ? files : changed, remove: removed, message });
      setBaseline(files);
      setMessage('');
      setSavedNote('Saved. Deploy to apply the change.');
    } catch (err) {
      setSaveError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section aria-label="Editor" className="stack-editor">
      <Tabs.Root value={active} onValueChange={setActive}>
        <TabStrip label="Files" panelId={panelId} tabs={paths} />
      </Tabs.Root>
      <div role="tabpanel" id={panelId} aria-labelledby={tabId(panelId, active)}>
        <CodeEditor
          key={active}
          path={active}
          label={`Contents of ${active}`}
          value={files[active] ?? ''}
          issues={validation.issues.filter((i) => i.file === active)}
          jump={jump}
          readOnly={!canWrite}
          onChange={(text) => setFiles((was) => ({ ...was, [active]: text }))}
        />
      </div>
      {canWrite && (
        <div className="editor-files row-fields">
          <Field
            label="New file"
            placeholder="config/app.ini"
            value={adding}
            error={addError}
            onChange={(e) => setAdding(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') add();
            }}
          />
          <Button onClick={add}>Add file</Button>
          {canRemove && (
            <Button variant="danger" onClick={remove}>
              Remove {active}
            </Button>
          )}
        </div>
      )}
      <Problems
        validation={validation}
        onGo={(file, line) => {
          setActive(file);
          setJump({ line });
        }}
      />
      {canWrite && (
        <div className="editor-save row-fields">
          {mode === 'edit' && (
            <Field
              label="Note for the history (optional)"
              value={message}
              maxLength={500}
              onChange={(e) => setMessage(e.target.value)}
            />
          )}
          <Button
            variant="primary"
            disabled={saving || (mode === 'edit' && !dirty)}
            onClick={() => void save()}
          >
            {mode === 'create' ? 'Create stack' : saving ? 'Saving…' : 'Save'}
          </Button>
          <span className="muted" role="status" data-testid="editor-status">
            {dirty ? 'Unsaved changes' : savedNote}
          </span>
        </div>
      )}
      <ErrorNotice error={saveError} />
    </section>
  );
}

function Problems({
  validation,
  onGo,
}: {
  validation: ReturnType<typeof useValidation>;
  onGo: (file: string, line: number) => void;
}) {
  const { issues, ok, checking, error } = validation;
  return (
    <section aria-label="Problems" className="problems" data-testid="problems">
      <h3>
        Problems{' '}
        <span className="muted" role="status" data-testid="validation-status">
          {checking
            ? 'checking…'
            : ok === null
              ? ''
              : ok
                ? `none: ${validation.services.length} services`
                : `${issues.length}`}
        </span>
      </h3>
      <StacksError error={error} />
      {issues.length > 0 && (
        <ul className="plain">
          {issues.map((issue, i) => (
            <li key={`${issue.file}:${issue.line ?? 0}:${issue.path}:${i}`}>
              <button
                type="button"
                className="linklike problem"
                data-testid="problem"
                onClick={() => onGo(issue.file, issue.line ?? 1)}
              >
                <code>
                  {issue.file}
                  {issue.line !== null ? `:${issue.line}` : ''}
                </code>{' '}
                {issue.path && <code>{issue.path}</code>} {issue.message}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
