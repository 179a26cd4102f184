import { BackupSchedule, type BackupScheduleView } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, client } from '../../api/client.js';
import { keys, useBackupSchedule } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { Badge, Button, ErrorNotice, Field } from '../../components/ui.js';

function describe(schedule: BackupScheduleView): string {
  const every = schedule.everyHours === 1 ? 'every hour' : `every ${schedule.everyHours} hours`;
  return `Backed up ${every}, keeping the newest ${schedule.keep}${
    schedule.stopContainers ? ', its containers stopped during the copy' : ''
  }`;
}

/** The volume's backup schedule (one per volume): see it, set it, delete it. */
export function BackupScheduleSection({ volume, canWrite }: { volume: string; canWrite: boolean }) {
  const host = useCurrentHost();
  const queryClient = useQueryClient();
  const schedule = useBackupSchedule(host, volume);
  const [form, setForm] = useState({ everyHours: '24', keep: '7', stopContainers: false });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const params = { host, name: volume };
  const key = keys.backupSchedule(host, volume);

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    const parsed = BackupSchedule.safeParse({
      everyHours: Number(form.everyHours),
      keep: Number(form.keep),
      stopContainers: form.stopContainers,
    });
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setErrors({});
    try {
      queryClient.setQueryData(
        key,
        await client.volumes.setSchedule({ params, body: parsed.data }),
      );
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setError(err);
    }
  };
  const clear = async (): Promise<void> => {
    setError(null);
    try {
      await client.volumes.clearSchedule({ params });
      queryClient.setQueryData(key, null);
    } catch (err) {
      setError(err);
    }
  };

  const current = schedule.data;
  return (
    <section className="backup-schedule panel-section" aria-labelledby={`schedule-title-${volume}`}>
      <h3 id={`schedule-title-${volume}`}>
        Backup schedule{' '}
        {current ? <Badge tone="info">every {current.everyHours} h</Badge> : <Badge>none</Badge>}
      </h3>
      <ErrorNotice error={error ?? schedule.error} />
      <p data-testid={`schedule-${volume}`}>
        {current === undefined ? 'Loading…' : current ? describe(current) : 'No scheduled backups.'}
      </p>
      {current && (
        <p className="muted">
          Last run: {current.lastRunAt ? new Date(current.lastRunAt).toLocaleString() : 'not yet'}
          {current.lastError && <span className="field-error"> · failed: {current.lastError}</span>}
        </p>
      )}
      {canWrite && (
        <form className="schedule-form" onSubmit={(e) => void save(e)}>
          <Field
            label="Back up every (hours)"
            type="number"
            min={1}
            max={24 * 365}
            required
            value={form.everyHours}
            error={errors.everyHours}
            onChange={(e) => setForm({ ...form, everyHours: e.target.value })}
          />
          <Field
            label="Backups to keep"
            type="number"
            min={1}
            max={1000}
            required
            value={form.keep}
            error={errors.keep}
            onChange={(e) => setForm({ ...form, keep: e.target.value })}
          />
          <label className="check">
            <input
              type="checkbox"
              checked={form.stopContainers}
              onChange={(e) => setForm({ ...form, stopContainers: e.target.checked })}
            />{' '}
            Stop its containers during scheduled backups
          </label>
          <Button type="submit">{current ? 'Update schedule' : 'Create schedule'}</Button>
          {current && (
            <Button variant="danger" onClick={() => void clear()}>
              Delete schedule
            </Button>
          )}
        </form>
      )}
    </section>
  );
}
