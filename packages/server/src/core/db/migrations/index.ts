import type { Migration } from 'kysely';
import { initial } from './0001-initial.js';
import { auth } from './0002-auth.js';
import { containers } from './0003-containers.js';
import { images } from './0004-images.js';
import { volumeBackups } from './0005-volume-backups.js';
import { ipReservations } from './0006-ip-reservations.js';
import { userPreferences } from './0007-user-preferences.js';
import { hostSecurity } from './0008-host-security.js';
import { operationJournal } from './0009-operation-journal.js';
import { stacks } from './0010-stacks.js';
import { stackVariables } from './0011-stack-variables.js';
import { runtimeHosts } from './0012-runtime-hosts.js';
import { sshHosts } from './0013-ssh-hosts.js';
import { userHostLabels } from './0014-user-host-labels.js';
import { userLastLogin } from './0015-user-last-login.js';
import { agentHosts } from './0016-agent-hosts.js';
import { metrics } from './0017-metrics.js';
import { tokenScopes } from './0018-token-scopes.js';
import { containerIncidents } from './0019-container-incidents.js';
import { alerts } from './0020-alerts.js';
import { notifications } from './0021-notifications.js';
import { proxyRoutes } from './0022-proxy-routes.js';
import { proxyWake } from './0023-proxy-wake.js';

/** Every migration, in order. Names sort lexically; never rename or reorder a shipped one. */
export const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-auth': auth,
  '0003-containers': containers,
  '0004-images': images,
  '0005-volume-backups': volumeBackups,
  '0006-ip-reservations': ipReservations,
  '0007-user-preferences': userPreferences,
  '0008-host-security': hostSecurity,
  '0009-operation-journal': operationJournal,
  '0010-stacks': stacks,
  '0011-stack-variables': stackVariables,
  '0012-runtime-hosts': runtimeHosts,
  '0013-ssh-hosts': sshHosts,
  '0014-user-host-labels': userHostLabels,
  '0015-user-last-login': userLastLogin,
  '0016-agent-hosts': agentHosts,
  '0017-metrics': metrics,
  '0018-token-scopes': tokenScopes,
  '0019-container-incidents': containerIncidents,
  '0020-alerts': alerts,
  '0021-notifications': notifications,
  '0022-proxy-routes': proxyRoutes,
  '0023-proxy-wake': proxyWake,
};
