import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { keys, useMe } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Card, ErrorNotice, Page } from '../../components/ui.js';
import '../../styles/resource-list.css';
import './swarm.css';
import { JoinTokens } from './JoinTokens.js';
import { NodeLabelsDialog, NodeRemoveDialog } from './NodeDialogs.js';
import { NodesTable, type NodeAction } from './NodesTable.js';
import { SwarmInit } from './SwarmInit.js';
import { SwarmLeave, type SwarmOutcome } from './SwarmLeave.js';
import { SwarmSummary } from './SwarmSummary.js';
import { swarmKeys, useNodes, useSwarm } from './swarm-queries.js';

/**
 * The swarm this host is in: the cluster and its quorum, the join tokens and the nodes (on a
 * manager); what a worker or a host in no swarm can do otherwise. Live from the host's events.
 */
export default function SwarmPage() {
  const host = useCurrentHost();
  const me = useMe();
  const isAdmin = me.data?.effectiveRole === 'admin';
  const canWrite = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const swarm = useSwarm(host);
  const manager = swarm.data?.manager === true;
  const nodes = useNodes(host, manager);
  const [outcome, setOutcome] = useState<SwarmOutcome | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<NodeAction | null>(null);
  const queryClient = useQueryClient();
  const done = (result: SwarmOutcome): void => {
    setDialog(null);
    setActionError(null);
    setOutcome(result);
    void queryClient.invalidateQueries({ queryKey: swarmKeys.swarm(host) });
    void queryClient.invalidateQueries({ queryKey: keys.hosts, exact: true });
  };
  const act = (action: NodeAction): void => {
    if (action.kind !== 'update') return setDialog(action);
    void (async () => {
      try {
        const result = await client.nodes.update({
          params: { host, id: action.node.id },
          body: { version: action.node.version, ...action.change },
        });
        done({ message: `${action.label}: ${action.node.hostname}`, cli: result.cli });
      } catch (err) {
        setActionError(err);
        void queryClient.invalidateQueries({ queryKey: swarmKeys.nodes(host) });
      }
    })();
  };
  const s = swarm.data;
  return (
    <Page
      title="Swarm cluster"
      actions={
        isAdmin && s && s.state !== 'inactive' ? (
          <SwarmLeave swarm={s} onDone={done} onError={setActionError} />
        ) : null
      }
    >
      {outcome && (
        <div className="notice swarm-outcome" role="status" data-testid="swarm-outcome">
          {outcome.message}
          <CommandBlock command={outcome.cli} />
        </div>
      )}
      <ErrorNotice error={actionError ?? swarm.error ?? (manager ? nodes.error : null)} />
      {s && s.state === 'inactive' && !isAdmin && (
        <Card title="Not in a swarm">
          <p data-testid="swarm-inactive">
            The engine of <strong>{host}</strong> is not part of a swarm. An administrator can make
            it the manager of a new swarm.
          </p>
        </Card>
      )}
      {s && s.state === 'inactive' && isAdmin && <SwarmInit onDone={done} />}
      {s && s.state !== 'inactive' && !manager && (
        <Card title="A worker node">
          <p data-testid="swarm-worker">
            <strong>{host}</strong> is a worker of a swarm ({s.state}). The cluster, its nodes and
            services are seen and changed through a manager: add one of its managers as a host.
          </p>
          {s.error && <p className="notice notice-bad">{s.error}</p>}
        </Card>
      )}
      {s && manager && (
        <div className="grid swarm-grid">
          <SwarmSummary swarm={s} />
          {isAdmin && <JoinTokens onDone={done} />}
        </div>
      )}
      {manager && (
        <>
          <h2 className="section-title">Nodes</h2>
          <NodesTable
            nodes={nodes.data ?? []}
            canWrite={canWrite}
            canAdmin={isAdmin}
            onAction={act}
          />
        </>
      )}
      {dialog?.kind === 'labels' && (
        <NodeLabelsDialog node={dialog.node} onClose={() => setDialog(null)} onDone={done} />
      )}
      {dialog?.kind === 'remove' && (
        <NodeRemoveDialog
          node={dialog.node}
          onClose={() => setDialog(null)}
          onDone={done}
          onError={setActionError}
        />
      )}
    </Page>
  );
}
