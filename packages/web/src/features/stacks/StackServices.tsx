import type { StackDetail } from '@berth/contract';
import { Link } from 'react-router';
import { Badge, stateTone } from '../../components/ui.js';
import { serviceTone } from './stack-state.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';

/** Each service of the stack with its containers: state, health, exit code, a link to each. */
export function StackServices({ stack }: { stack: StackDetail }) {
  const host = useCurrentHost();
  return (
    <>
      {stack.issues.length > 0 && (
        <div className="notice notice-bad" role="alert">
          The files do not load:
          <ul>
            {stack.issues.map((i, n) => (
              <li key={n}>
                <code>
                  {i.file}
                  {i.line !== null ? `:${i.line}` : ''}
                </code>{' '}
                {i.path && <code>{i.path}</code>} {i.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="list-scroll">
        <table className="list stack-table" aria-label="Services" data-testid="stack-services">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">State</th>
              <th scope="col" className="c-wide">
                Image
              </th>
              <th scope="col">Containers</th>
            </tr>
          </thead>
          <tbody>
            {stack.services.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  No services.
                </td>
              </tr>
            )}
            {stack.services.map((s) => (
              <tr key={s.name} data-testid="stack-service" data-service={s.name}>
                <th scope="row">{s.name}</th>
                <td>
                  <Badge tone={serviceTone(s.state)}>
                    <span data-testid="service-state">
                      {s.state === 'missing' ? 'not created' : s.state}
                    </span>
                  </Badge>
                  {s.total > 1 && (
                    <span className="muted">
                      {' '}
                      {s.running}/{s.total}
                    </span>
                  )}
                </td>
                <td className="c-wide">{s.image ?? <span className="muted">—</span>}</td>
                <td>
                  {s.containers.length === 0 ? (
                    <span className="muted">none yet</span>
                  ) : (
                    <ul className="plain service-containers">
                      {s.containers.map((c) => (
                        <li key={c.id}>
                          <Link to={hostPath(host, `containers/${c.name}`)}>{c.name}</Link>{' '}
                          <Badge tone={stateTone(c.health ?? c.state)}>{c.health ?? c.state}</Badge>
                          {c.exitCode !== null && c.state !== 'running' && (
                            <span className={c.exitCode === 0 ? 'muted' : 'error-text'}>
                              {' '}
                              exit {c.exitCode}
                            </span>
                          )}{' '}
                          <span className="muted c-wide-inline">{c.status}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
