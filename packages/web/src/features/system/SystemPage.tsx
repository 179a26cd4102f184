import type { SystemPruneResult } from '@berth/contract';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { useHostInfo, useMe } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Button, Card, formatBytes, Page } from '../../components/ui.js';
import { TotalsMetrics } from '../monitoring/TotalsMetrics.js';
import { IncidentFeed } from '../monitoring/IncidentFeed.js';

/** The host's metrics history and what broke on it, the engine, its disk usage (computed on request), and a system prune with a preview. */
export default function SystemPage() {
  const host = useCurrentHost();
  const info = useHostInfo(host);
  const me = useMe();
  const [wantDf, setWantDf] = useState(false);
  const df = useQuery({
    queryKey: ['hosts', host, 'df'],
    queryFn: () => client.system.df({ params: { host } }),
    enabled: wantDf,
  });
  const [preview, setPreview] = useState<SystemPruneResult | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const e = info.data?.engine;
  return (
    <Page title="System">
      <h2 className="section-title">Metrics</h2>
      <TotalsMetrics host={host} />
      <IncidentFeed host={host} />
      <div className="grid">
        <Card title="Engine">
          {e && (
            <dl className="facts">
              <dt>Version</dt>
              <dd>
                {e.version} (API {e.apiVersion})
              </dd>
              <dt>OS</dt>
              <dd>{e.os}</dd>
              <dt>Kernel</dt>
              <dd>{e.kernelVersion}</dd>
              <dt>Storage</dt>
              <dd>
                {e.storageDriver} in {e.dockerRootDir}
              </dd>
              <dt>Swarm</dt>
              <dd>{e.swarm}</dd>
            </dl>
          )}
        </Card>
        <Card title="Disk usage">
          {!wantDf && <Button onClick={() => setWantDf(true)}>Compute (can take a while)</Button>}
          {df.data && (
            <ul className="plain">
              <li>
                Images: {df.data.images.count}, {formatBytes(df.data.images.sizeBytes)} (
                {formatBytes(df.data.images.reclaimableBytes)} reclaimable)
              </li>
              <li>
                Containers: {df.data.containers.count}, {formatBytes(df.data.containers.sizeBytes)}
              </li>
              <li>
                Volumes: {df.data.volumes.count}, {formatBytes(df.data.volumes.sizeBytes)}
              </li>
              <li>Build cache: {formatBytes(df.data.buildCacheBytes)}</li>
            </ul>
          )}
        </Card>
        {me.data?.effectiveRole === 'admin' && (
          <Card title="Clean up">
            <Button
              onClick={() =>
                void client.system
                  .prune({ params: { host }, body: { dryRun: true } })
                  .then(setPreview)
              }
            >
              Preview system prune…
            </Button>
            <CommandBlock command={done} />
          </Card>
        )}
      </div>
      <ConfirmDialog
        open={preview !== null}
        title="Prune the system?"
        confirmLabel="Prune"
        onCancel={() => setPreview(null)}
        onConfirm={() =>
          void client.system.prune({ params: { host }, body: { dryRun: false } }).then((r) => {
            setPreview(null);
            setDone(r.cli);
          })
        }
      >
        <p>These will be removed:</p>
        <ul>
          {preview?.containers.removed.map((c) => (
            <li key={`c-${c.name}`}>container {c.name}</li>
          ))}
          {preview?.networks.removed.map((n) => (
            <li key={`n-${n.name}`}>network {n.name}</li>
          ))}
          {preview?.images.removed.map((i) => (
            <li key={`i-${i.name}`}>image {i.name}</li>
          ))}
        </ul>
      </ConfirmDialog>
    </Page>
  );
}
