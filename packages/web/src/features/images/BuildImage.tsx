import { BuildContextQuery, BuildRequest, type BuildResult } from '@berth/contract';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, client } from '../../api/client.js';
import { onProgress } from '../../api/live.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { Button, ErrorNotice, Field, FieldNote } from '../../components/ui.js';
import { BuildOutput } from './BuildOutput.js';

const MAX_SHOWN_LINES = 500;
type Source = 'dockerfile' | 'context';

/** "NAME=value" per line; blank lines are skipped, a line without "=" is an empty value. */
function parseBuildArgs(text: string): Record<string, string> {
  const args: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const at = line.indexOf('=');
    if (at === -1) args[line.trim()] = '';
    else args[line.slice(0, at).trim()] = line.slice(at + 1);
  }
  return args;
}

/** Field messages keyed by form field: the context route calls the tags "tag". */
function byField(entries: [string, string][]): Record<string, string> {
  return Object.fromEntries(
    entries.map(([field, message]) => [field === 'tag' ? 'tags' : field, message]),
  );
}
const issueErrors = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  byField(issues.map((i) => [String(i.path[0]), i.message]));

/**
 * Builds an image from a Dockerfile text or from an uploaded context (a .tar or .tar.gz holding
 * the Dockerfile and what it copies): the log live from the host events, then the outcome.
 */
export function BuildImage() {
  const host = useCurrentHost();
  const contextId = useId();
  const [source, setSource] = useState<Source>('dockerfile');
  const [dockerfile, setDockerfile] = useState('');
  const [contextFile, setContextFile] = useState<File | null>(null);
  const [dockerfilePath, setDockerfilePath] = useState('Dockerfile');
  const [tags, setTags] = useState('');
  const [buildArgs, setBuildArgs] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [log, setLog] = useState<string[]>([]);
  const [result, setResult] = useState<BuildResult | null>(null);
  const [building, setBuilding] = useState(false);
  const stopListening = useRef<(() => void) | null>(null);
  useEffect(() => () => stopListening.current?.(), []);

  /** The request for the chosen source, or null when the form says what is wrong. */
  const prepare = (): (() => Promise<BuildResult>) | null => {
    const tagList = tags.split(/[\s,]+/).filter(Boolean);
    const args = parseBuildArgs(buildArgs);
    if (source === 'dockerfile') {
      const parsed = BuildRequest.safeParse({ dockerfile, tags: tagList, buildArgs: args });
      if (!parsed.success) {
        setErrors(issueErrors(parsed.error.issues));
        return null;
      }
      return () => client.images.build({ params: { host }, body: parsed.data });
    }
    // The same rules for tags and arguments as the Dockerfile mode, then the route's own query.
    const common = BuildRequest.pick({ tags: true, buildArgs: true }).safeParse({
      tags: tagList,
      buildArgs: args,
    });
    const query = BuildContextQuery.safeParse({ tag: tagList, dockerfile: dockerfilePath });
    const found = {
      ...(common.success ? {} : issueErrors(common.error.issues)),
      ...(query.success ? {} : issueErrors(query.error.issues)),
      ...(contextFile ? {} : { context: 'Choose a .tar or .tar.gz holding a Dockerfile' }),
    };
    if (!common.success || !query.success || !contextFile) {
      setErrors(found);
      return null;
    }
    const hasArgs = Object.keys(common.data.buildArgs).length > 0;
    return () =>
      client.images.buildContext({
        params: { host },
        query: {
          tag: common.data.tags,
          dockerfile: query.data.dockerfile,
          ...(hasArgs ? { buildArgs: JSON.stringify(common.data.buildArgs) } : {}),
        },
        body: contextFile,
      });
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setFailure(null);
    const request = prepare();
    if (!request) return;
    setErrors({});
    setResult(null);
    setLog([]);
    setBuilding(true);
    // The server names a build's progress after its first tag.
    const subject = tags.split(/[\s,]+/).filter(Boolean)[0];
    stopListening.current = onProgress((p) => {
      if (p.operation === 'build' && p.subject === subject)
        setLog((old) => [...old.slice(-(MAX_SHOWN_LINES - 1)), p.status]);
    });
    try {
      const built = await request();
      // The answer carries the whole log: it fills in whatever the live stream missed.
      setLog(built.log.slice(-MAX_SHOWN_LINES));
      setResult(built);
    } catch (err) {
      if (err instanceof ApiError) setErrors(byField(Object.entries(err.fieldErrors())));
      setFailure(err);
    } finally {
      stopListening.current?.();
      stopListening.current = null;
      setBuilding(false);
    }
  };

  return (
    <>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="choice">
          <legend>Build from</legend>
          {(
            [
              ['dockerfile', 'Text'],
              ['context', 'Uploaded context (.tar or .tar.gz)'],
            ] as const
          ).map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name="build-source"
                value={value}
                checked={source === value}
                onChange={() => setSource(value)}
              />{' '}
              {label}
            </label>
          ))}
        </fieldset>
        {source === 'dockerfile' ? (
          <div className="field">
            <label htmlFor="build-dockerfile">Dockerfile</label>
            <textarea
              id="build-dockerfile"
              rows={6}
              value={dockerfile}
              onChange={(e) => setDockerfile(e.target.value)}
              placeholder={'FROM alpine:3\nRUN echo hello > /hello.txt\nCMD ["sh"]'}
              aria-invalid={errors.dockerfile ? true : undefined}
              aria-describedby={errors.dockerfile ? 'build-dockerfile-error' : undefined}
              spellCheck={false}
            />
            <FieldNote id="build-dockerfile" error={errors.dockerfile} />
          </div>
        ) : (
          <>
            <div className="field">
              <label htmlFor={contextId}>Build context archive</label>
              <input
                id={contextId}
                type="file"
                accept=".tar,.tar.gz,.tgz,application/x-tar,application/gzip"
                aria-invalid={errors.context ? true : undefined}
                aria-describedby={errors.context ? `${contextId}-error` : undefined}
                onChange={(e) => setContextFile(e.target.files?.[0] ?? null)}
              />
              <FieldNote id={contextId} error={errors.context} />
            </div>
            <Field
              label="Dockerfile path in the context"
              value={dockerfilePath}
              onChange={(e) => setDockerfilePath(e.target.value)}
              error={errors.dockerfile}
            />
          </>
        )}
        <Field
          label="Tags (separated by spaces)"
          value={tags}
          onChange={(e) => setTags(e.target.value)}
          error={errors.tags}
          placeholder="myapp:1.0 myapp:latest"
        />
        <div className="field">
          <label htmlFor="build-args">Build arguments (NAME=value per line)</label>
          <textarea
            id="build-args"
            rows={2}
            value={buildArgs}
            onChange={(e) => setBuildArgs(e.target.value)}
            aria-invalid={errors.buildArgs ? true : undefined}
            aria-describedby={errors.buildArgs ? 'build-args-error' : undefined}
            spellCheck={false}
          />
          <FieldNote id="build-args" error={errors.buildArgs} />
        </div>
        <Button type="submit" variant="primary" disabled={building}>
          Build
        </Button>
      </form>
      <ErrorNotice error={failure} />
      <BuildOutput building={building} result={result} log={log} />
    </>
  );
}
