import { TagRequest, type ImageSummary } from '@berth/contract';
import { useState, type FormEvent } from 'react';
import { ApiError, client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Button, ErrorNotice, Field } from '../../components/ui.js';

/** Adds a repository:tag to an image; shows the equivalent `docker tag`. */
export function TagImage({ image, autoFocus }: { image: ImageSummary; autoFocus: boolean }) {
  const host = useCurrentHost();
  const [repository, setRepository] = useState('');
  const [tag, setTag] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [cli, setCli] = useState<string | null>(null);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setFailure(null);
    const parsed = TagRequest.safeParse({ repository, ...(tag ? { tag } : {}) });
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setErrors({});
    try {
      const done = await client.images.tag({
        params: { host, id: image.id },
        body: parsed.data,
      });
      setCli(done.cli);
      setRepository('');
      setTag('');
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setFailure(err);
    }
  };
  return (
    <section aria-labelledby={`tag-${image.id}`}>
      <h3 id={`tag-${image.id}`}>Add a tag</h3>
      <form className="tag-form form-inline" onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label="Repository"
          value={repository}
          onChange={(e) => setRepository(e.target.value)}
          error={errors.repository}
          placeholder="registry.local:5000/team/app"
          required
          autoFocus={autoFocus}
        />
        <Field
          label="Tag"
          value={tag}
          onChange={(e) => setTag(e.target.value)}
          error={errors.tag}
          placeholder="latest"
        />
        <Button type="submit">Add tag</Button>
      </form>
      <ErrorNotice error={failure} />
      <CommandBlock command={cli} />
    </section>
  );
}
