import type { Alert } from '@berth/contract';
import * as Tabs from '@radix-ui/react-tabs';
import { useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useMe } from '../../api/queries.js';
import { TabStrip, tabId } from '../../components/TabStrip.js';
import { ErrorNotice, Page } from '../../components/ui.js';
import '../../styles/monitoring.css';
import { useAlerts, useRules } from './alert-queries.js';
import { AlertTable } from './AlertTable.js';
import { RulesPanel } from './RulesPanel.js';
import { SilenceDialog, type SilenceSeed } from './SilenceDialog.js';
import { SilencesPanel } from './SilencesPanel.js';

const TABS = ['Firing', 'Resolved', 'History', 'Silences', 'Rules'] as const;
type Tab = (typeof TABS)[number];
const STATES = { Firing: 'firing', Resolved: 'resolved', History: undefined } as const;
const EMPTY = {
  Firing: 'Nothing is firing.',
  Resolved: 'No alert has resolved yet.',
  History: 'No alerts yet.',
};

/** Alerts: what is firing now, what resolved, the whole history; silences; rules (admins). */
export default function AlertsPage() {
  const me = useMe();
  const isAdmin = me.data?.effectiveRole === 'admin';
  const canAck = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const [search, setSearch] = useSearchParams();
  const tab: Tab = TABS.find((t) => t === search.get('tab')) ?? 'Firing';
  const panelId = useId();
  const listed = tab === 'Firing' || tab === 'Resolved' || tab === 'History';
  const alerts = useAlerts(listed ? STATES[tab] : 'firing');
  const rules = useRules(isAdmin);
  const [silencing, setSilencing] = useState<SilenceSeed | null>(null);
  const seedOf = (a: Alert): SilenceSeed => ({
    ruleId: a.ruleId,
    ...(a.hostId ? { host: a.hostId } : {}),
    ...(a.containerName ? { container: a.containerName } : {}),
  });
  const firing = tab === 'Firing' ? alerts.data?.length : undefined;
  return (
    <Page title="Alerts">
      <Tabs.Root
        value={tab}
        onValueChange={(value) => setSearch({ tab: value }, { replace: true })}
      >
        <TabStrip
          label="Alert sections"
          panelId={panelId}
          tabs={TABS.filter((t) => t !== 'Rules' || isAdmin)}
        />
      </Tabs.Root>
      <div role="tabpanel" id={panelId} aria-labelledby={tabId(panelId, tab)}>
        {listed && (
          <>
            <ErrorNotice error={alerts.error} />
            {firing !== undefined && (
              <p className="muted" role="status">
                {firing === 1 ? '1 alert firing' : `${firing} alerts firing`}
              </p>
            )}
            {alerts.data && (
              <AlertTable
                alerts={alerts.data}
                canAck={canAck}
                onSilence={isAdmin ? (a) => setSilencing(seedOf(a)) : undefined}
                empty={EMPTY[tab]}
              />
            )}
          </>
        )}
        {tab === 'Silences' && <SilencesPanel isAdmin={isAdmin} rules={rules.data ?? []} />}
        {tab === 'Rules' && isAdmin && <RulesPanel rules={rules.data ?? []} error={rules.error} />}
      </div>
      {silencing && (
        <SilenceDialog
          seed={silencing}
          rules={rules.data ?? []}
          onClose={() => setSilencing(null)}
        />
      )}
    </Page>
  );
}
