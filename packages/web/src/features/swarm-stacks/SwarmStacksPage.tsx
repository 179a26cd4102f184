import { Link } from 'react-router';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';
import { EmptyRow, ErrorNotice, Page } from '../../components/ui.js';
import { age, longTime } from '../../components/time.js';
import { NotAManager } from './NotAManager.js';
import { useSwarmStacks } from './swarm-stack-queries.js';
import '../../styles/resource-list.css';

/** The swarm's stacks (`docker stack ls`): namespaces on the services, tasks running of desired. */
export default function SwarmStacksPage() {
  const host = useCurrentHost();
  const list = useSwarmStacks(host);
  const data = list.data;
  return (
    <Page title="Swarm stacks">
      <ErrorNotice error={list.error} />
      {!data && !list.error && <p className="loading">Loading…</p>}
      {data && !data.manager && <NotAManager nodeState={data.nodeState} />}
      {data?.manager && (
        <>
          <p className="muted">
            Deploy one from a stack&rsquo;s page (Stacks → a stack → Deploy to swarm). Stacks
            deployed with <code>docker stack deploy</code> are listed too.
          </p>
          <div className="list-scroll">
            <table className="list" aria-label="Swarm stacks" data-testid="swarm-stack-list">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Services</th>
                  <th scope="col">Tasks</th>
                  <th scope="col" className="c-wide">
                    Updated
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.stacks.length === 0 && (
                  <EmptyRow columns={4} total={0} none="No swarm stacks yet." noMatch="" />
                )}
                {data.stacks.map((s) => (
                  <tr key={s.name} data-testid="swarm-stack-row" data-name={s.name}>
                    <td>
                      <Link to={hostPath(host, `swarm-stacks/${encodeURIComponent(s.name)}`)}>
                        {s.name}
                      </Link>
                    </td>
                    <td>{s.services}</td>
                    <td data-testid="swarm-stack-tasks">
                      {s.tasksRunning}/{s.tasksDesired} running
                    </td>
                    <td className="c-wide">
                      {s.updatedAt ? (
                        <time dateTime={s.updatedAt} title={longTime.format(new Date(s.updatedAt))}>
                          {age(s.updatedAt)}
                        </time>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Page>
  );
}
