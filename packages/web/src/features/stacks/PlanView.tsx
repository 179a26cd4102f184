import type { StackPlan, StackOperationResult, StreamStackProgress } from '@berth/contract';
import { Badge } from '../../components/ui.js';

type Tone = 'good' | 'warn' | 'bad' | 'neutral' | 'info';
const ACTION_TONES: Record<StackPlan['services'][number]['action'], Tone> = {
  create: 'info',
  recreate: 'warn',
  start: 'info',
  unchanged: 'neutral',
  remove: 'bad',
};
const OUTCOME_TONES: Record<StackOperationResult['services'][number]['status'], Tone> = {
  done: 'good',
  completed: 'good',
  unchanged: 'neutral',
  failed: 'bad',
  skipped: 'warn',
};
const RESOURCE_TONES: Record<StackPlan['resources'][number]['action'], Tone> = {
  create: 'info',
  recreate: 'warn',
  unchanged: 'neutral',
  external: 'neutral',
  conflict: 'bad',
};
const IMAGE_NOTES = { present: '', pull: 'image pulled first', build: 'image built first' };

/** A plan, per service and resource; with each service's progress and outcome once applied. */
export function PlanView({
  plan,
  steps,
  outcomes,
}: {
  plan: StackPlan;
  steps: Map<string, Pick<StreamStackProgress, 'step' | 'message'>> | undefined;
  outcomes: StackOperationResult['services'] | undefined;
}) {
  const whole = steps?.get('');
  return (
    <section aria-label="Plan" data-testid="plan">
      {plan.unchanged && (
        <p className="notice" data-testid="plan-unchanged">
          Nothing to change: every service already runs as its files say.
        </p>
      )}
      <ul className="plain plan-services">
        {plan.services.map((s) => {
          const step = steps?.get(s.service);
          const outcome = outcomes?.find((o) => o.service === s.service);
          return (
            <li key={s.service} data-testid="plan-service" data-service={s.service}>
              <div className="plan-line">
                <strong>{s.service}</strong>
                <Badge tone={ACTION_TONES[s.action]}>
                  <span data-testid="plan-action">{s.action}</span>
                </Badge>
                {IMAGE_NOTES[s.image] && <span className="muted">{IMAGE_NOTES[s.image]}</span>}
                {s.containers.length > 1 && (
                  <span className="muted">{s.containers.length} containers</span>
                )}
                {outcome ? (
                  <span className="plan-outcome">
                    <span aria-hidden>→</span>
                    <span className="sr-only">outcome:</span>
                    <Badge tone={OUTCOME_TONES[outcome.status]}>
                      <span data-testid="service-outcome">{outcome.status}</span>
                    </Badge>
                  </span>
                ) : (
                  step && (
                    <span className="muted" data-testid="service-step">
                      {step.step}
                      {step.message ? `: ${step.message}` : ''}
                    </span>
                  )
                )}
              </div>
              {s.changes.length > 0 && (
                <div className="plan-changes">
                  changed: <span data-testid="plan-changes">{s.changes.join(', ')}</span>
                </div>
              )}
              {outcome?.message && (
                <div className={outcome.status === 'failed' ? 'error-text' : 'muted'}>
                  {outcome.message}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {plan.resources.length > 0 && (
        <>
          <h3 className="plan-heading">Resources</h3>
          <ul className="plain plan-resources">
            {plan.resources.map((r) => (
              <li key={`${r.kind}:${r.name}`} data-testid="plan-resource">
                <div className="plan-line">
                  <span className="muted">{r.kind}</span> <code>{r.name}</code>
                  <Badge tone={RESOURCE_TONES[r.action]}>{r.action}</Badge>
                </div>
                {r.changes && r.changes.length > 0 && (
                  <div className="plan-changes">changed: {r.changes.join(', ')}</div>
                )}
                {r.message && (
                  <div className={r.action === 'conflict' ? 'error-text' : 'muted'}>
                    {r.message}
                  </div>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {whole && (
        <p className="muted" role="status">
          {whole.step}
          {whole.message ? `: ${whole.message}` : ''}
        </p>
      )}
    </section>
  );
}
