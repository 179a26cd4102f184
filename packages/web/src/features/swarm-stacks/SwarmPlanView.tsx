import type { PlannedSwarmObject, SwarmObjectResult, SwarmStackPlan } from '@berth/contract';
import { Badge } from '../../components/ui.js';
import '../stacks/stacks.css';
import './swarm-stacks.css';

type Tone = 'good' | 'warn' | 'bad' | 'neutral' | 'info';
const ACTION_TONES: Record<PlannedSwarmObject['action'], Tone> = {
  create: 'info',
  update: 'warn',
  unchanged: 'neutral',
  remove: 'bad',
  external: 'neutral',
  conflict: 'bad',
};
const STATUS_TONES: Record<SwarmObjectResult['status'], Tone> = {
  done: 'good',
  failed: 'bad',
  skipped: 'neutral',
};
const HEADINGS = { network: 'Networks', secret: 'Secrets', config: 'Configs', service: 'Services' };
const KINDS = ['service', 'network', 'secret', 'config'] as const;

/** One change as a reader says it: "Mode.Replicated.Replicas: 2 → 3". */
function changeText(change: PlannedSwarmObject['changes'][number]): string {
  const field = change.field.replace(/^TaskTemplate\.(ContainerSpec\.)?/, '');
  if (change.before === null) return `${field}: added ${change.after ?? ''}`.trim();
  if (change.after === null) return `${field}: removed`;
  return change.before === change.after
    ? `${field}: changed`
    : `${field}: ${change.before} → ${change.after}`;
}

/**
 * A swarm stack's plan: what each object's deploy does (with the fields of a service that
 * change), the results once applied, and what the files say that swarm will not honour.
 */
export function SwarmPlanView({
  plan,
  results,
}: {
  plan: SwarmStackPlan;
  results: SwarmObjectResult[] | undefined;
}) {
  return (
    <section aria-label="Swarm plan" data-testid="swarm-plan">
      {plan.unchanged && (
        <p className="notice" data-testid="swarm-plan-unchanged">
          Nothing to change: the swarm already runs the stack as its files say.
        </p>
      )}
      {KINDS.map((kind) => {
        const objects = plan.objects.filter((o) => o.kind === kind);
        if (objects.length === 0) return null;
        return (
          <div key={kind}>
            <h3 className="plan-heading">{HEADINGS[kind]}</h3>
            <ul className="plain plan-resources">
              {objects.map((o) => {
                const result = results?.find((r) => r.kind === o.kind && r.name === o.name);
                return (
                  <li
                    key={`${o.kind}:${o.name}:${o.action}`}
                    data-testid="swarm-plan-object"
                    data-name={o.name}
                  >
                    <div className="plan-line">
                      <code>{o.name}</code>
                      <Badge tone={ACTION_TONES[o.action]}>
                        <span data-testid="swarm-plan-action">{o.action}</span>
                      </Badge>
                      {result && result.status !== 'skipped' && (
                        <span className="plan-outcome">
                          <span aria-hidden>→</span>
                          <span className="sr-only">outcome:</span>
                          <Badge tone={STATUS_TONES[result.status]}>
                            <span data-testid="swarm-object-outcome">{result.status}</span>
                          </Badge>
                        </span>
                      )}
                    </div>
                    {o.changes.length > 0 && (
                      <ul className="plan-changes" data-testid="swarm-plan-changes">
                        {o.changes.map((c) => (
                          <li key={c.field}>{changeText(c)}</li>
                        ))}
                      </ul>
                    )}
                    {o.message && (
                      <div className={o.action === 'conflict' ? 'error-text' : 'muted'}>
                        {o.message}
                      </div>
                    )}
                    {result?.message && <div className="error-text">{result.message}</div>}
                  </li>
                );
              })}
            </ul>
          </div>
        );
      })}
      {plan.unsupported.length > 0 && (
        <div data-testid="swarm-unsupported">
          <h3 className="plan-heading">Not honoured by a swarm</h3>
          <p className="muted">
            These parts of the files have no swarm equivalent: the deploy goes ahead without them.
          </p>
          <ul className="unsupported-list">
            {plan.unsupported.map((u) => (
              <li key={`${u.service ?? ''}:${u.field}`}>
                {u.service && <strong>{u.service}</strong>} <code>{u.field}</code>: {u.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
