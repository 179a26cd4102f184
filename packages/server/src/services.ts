import { PreferencesRepository } from './modules/preferences/preferences-repository.js';
import { PreferencesService } from './modules/preferences/preferences-service.js';
import { PrometheusService } from './modules/prometheus/prometheus-service.js';
import { LogAnalysisService } from './modules/log-analysis/log-analysis-service.js';
import type { SecretBox } from './core/crypto.js';
import type { Db } from './core/db/database.js';
import type { Logger } from './core/logger.js';
import { RateLimiter } from './core/rate-limiter.js';
import type { EngineHosts } from './docker/engine-hosts.js';
import { AuditRepository } from './modules/audit/audit-repository.js';
import { AuditService } from './modules/audit/audit-service.js';
import { EngineAuditSubjects } from './modules/audit/audit-subjects.js';
import { AuthService } from './modules/auth/auth-service.js';
import { KnownDevices } from './modules/auth/known-devices.js';
import { LoginThrottle } from './modules/auth/login-throttle.js';
import { PasswordHasher } from './modules/auth/password-hasher.js';
import { SessionsRepository } from './modules/auth/sessions-repository.js';
import { SetupService } from './modules/auth/setup-service.js';
import { TokensRepository } from './modules/auth/tokens-repository.js';
import { TokensService } from './modules/auth/tokens-service.js';
import { TwoFactorService } from './modules/auth/two-factor-service.js';
import { ContainerActions } from './modules/containers/container-actions.js';
import { ContainerAttachService } from './modules/containers/container-attach.js';
import { ContainerExecService } from './modules/containers/container-exec.js';
import { ContainerStreamsService } from './modules/containers/container-streams.js';
import { ContainerFilesService } from './modules/containers/container-files.js';
import { ContainerLogsService } from './modules/containers/container-logs.js';
import { ContainerCreateService } from './modules/containers/container-create-service.js';
import { ContainersService } from './modules/containers/containers-service.js';
import { EnvironmentsRepository } from './modules/containers/environments-repository.js';
import { ImageTagsRepository } from './modules/images/image-tags-repository.js';
import { ImageTagsTracker } from './modules/images/image-tags-tracker.js';
import { ImageTransfers } from './modules/images/image-transfers.js';
import { ImageBuilds } from './modules/images/image-builds.js';
import { SystemService } from './modules/system/system-service.js';
import { ImagesService } from './modules/images/images-service.js';
import { RegistriesRepository } from './modules/registries/registries-repository.js';
import { RegistriesService } from './modules/registries/registries-service.js';
import { ContainerUpdates } from './modules/updates/container-updates.js';
import { ContainerUpdatesRepository } from './modules/updates/container-updates-repository.js';
import { UpdateChecker } from './modules/updates/update-checker.js';
import { UpdateChecksRepository } from './modules/updates/update-checks-repository.js';
import { NetworkAddresses } from './modules/networks/network-addresses.js';
import { NetworkAttachments } from './modules/networks/network-attachments.js';
import { NetworksService } from './modules/networks/networks-service.js';
import { swarmServices } from './modules/swarm/swarm-parts.js';
import { ReservationsRepository } from './modules/networks/reservations-repository.js';
import { BackupSchedules } from './modules/volumes/backup-schedules.js';
import { BackupSchedulesRepository } from './modules/volumes/backup-schedules-repository.js';
import { VolumeBackups } from './modules/volumes/volume-backups.js';
import { VolumeHelper } from './modules/volumes/volume-helper.js';
import { VolumesService } from './modules/volumes/volumes-service.js';
import { HealthService } from './modules/health/health-service.js';
import { DEFAULT_METRICS, metricsServices } from './modules/metrics/metrics-parts.js';
import { ComposeConvertService } from './modules/stacks/convert/compose-convert-service.js';
import { EventsService } from './modules/events/events-service.js';
import { FleetService } from './modules/fleet/fleet-service.js';
import { HostHardware } from './modules/hosts/host-hardware.js';
import { AgentGateway } from './modules/agents/agent-gateway.js';
import { AgentsRepository } from './modules/agents/agents-repository.js';
import { AgentsService } from './modules/agents/agents-service.js';
import { HostRegistry } from './modules/hosts/host-registry.js';
import { HostsRepository } from './modules/hosts/hosts-repository.js';
import { HostsService } from './modules/hosts/hosts-service.js';
import { SettingsRepository } from './modules/settings/settings-repository.js';
import { SettingsService } from './modules/settings/settings-service.js';
import { UsersRepository } from './modules/users/users-repository.js';
import { UsersService } from './modules/users/users-service.js';
import { probeDatabase } from './core/db/database.js';
import { JournalRepository } from './modules/journal/journal-repository.js';
import { JournalRecovery } from './modules/journal/journal-recovery.js';
import { OperationJournal } from './modules/journal/operation-journal.js';
import { recreateRecoverer } from './modules/containers/recreate-recovery.js';
import { backupRecoverer, restoreRecoverer } from './modules/volumes/backup-recovery.js';
import { HostSecurityRepository } from './modules/security-policy/host-security-repository.js';
import { HostSecurityService } from './modules/security-policy/host-security-service.js';
import { StackProgressFeed } from './modules/stacks/stack-progress.js';
import { swarmServiceParts } from './modules/services/swarm-services-parts.js';
import { loadProject } from './modules/stacks/compose/index.js';
import { ComposeRuntime } from './modules/stacks/runtime/compose-runtime.js';
import { stackServices } from './modules/stacks/stack-parts.js';
import { swarmStackServices } from './modules/swarm-stacks/swarm-stack-parts.js';
import { IncidentRecorder } from './modules/health-history/incident-recorder.js';
import { IncidentsRepository } from './modules/health-history/incidents-repository.js';
import { monitoringServices } from './modules/alerts/monitoring-services.js';
import { notificationServices } from './modules/notifications/notification-services.js';
import { ProxyRoutesRepository } from './modules/proxy/proxy-routes-repository.js';
import { WakeStatsRepository } from './modules/proxy/wake/wake-stats-repository.js';
import { DEFAULT_PROXY, proxyServices } from './modules/proxy/proxy-parts.js';

import type { Adapters } from './adapters.js';

export type { Adapters } from './adapters.js';
export type { StackEngine } from './modules/stacks/stack-parts.js';

export type Services = ReturnType<typeof createServices>;

/** Repositories over the adapters, services over the repositories: each gets only what it uses. */
export function createServices(adapters: Adapters) {
  const { db, security, logger } = adapters;
  const now = adapters.now ?? Date.now;
  const users = new UsersRepository(db);
  const sessions = new SessionsRepository(db);
  const tokens = new TokensRepository(db);
  const hostsRepository = new HostsRepository(db);
  const hasher = new PasswordHasher();
  const settings = new SettingsService(new SettingsRepository(db));
  const twoFactor = new TwoFactorService(users, adapters.box, hasher, now);
  const audit = new AuditService(new AuditRepository(db), logger);
  const agentsRepository = new AgentsRepository(db);
  const agents = new AgentsService({
    repository: agentsRepository,
    hosts: adapters.hosts,
    logger,
    certificate: adapters.certificate,
    now,
  });
  const reservationsRepository = new ReservationsRepository(db);
  const hardware = new HostHardware(adapters.readLocalModel);
  const journal = new OperationJournal(new JournalRepository(db), now);
  const environments = new EnvironmentsRepository(db);
  const hostSecurity = new HostSecurityService(adapters.hosts, new HostSecurityRepository(db), now);
  const incidents = new IncidentRecorder({
    hosts: adapters.hosts,
    repository: new IncidentsRepository(db),
    logger,
    ...adapters.monitoring?.incidents,
  });
  incidents.start();
  const containerParts = containerServices(
    adapters.hosts,
    environments,
    settings,
    reservationsRepository,
    hardware,
    journal,
    hostSecurity,
    logger,
    incidents,
  );
  const helper = new VolumeHelper(adapters.helperImage, logger);
  const volumeBackups = new VolumeBackups(adapters.hosts, helper, adapters.backupDir, journal);
  const journalRecovery = new JournalRecovery(
    journal,
    adapters.hosts,
    {
      recreate: recreateRecoverer(environments),
      backup: backupRecoverer(helper),
      restore: restoreRecoverer(helper),
    },
    audit,
    logger,
  );
  const updateParts = updateServices(
    adapters.hosts,
    db,
    adapters.box,
    logger,
    containerParts.containers,
    containerParts.containerCreator,
  );
  const volumes = new VolumesService(adapters.hosts, helper, hostSecurity);
  const stackProgress = new StackProgressFeed();
  const swarmParts = swarmServices(adapters.hosts, logger);
  const serviceParts = swarmServiceParts(adapters.hosts, logger);
  // Berth's compose engine: the loader (files → project) and the runtime (project → engine),
  // whose containers go through the same checks and host policy as every other container.
  const stackEngine = adapters.stackEngine ?? {
    load: loadProject,
    runtime: new ComposeRuntime({
      hosts: adapters.hosts,
      creator: containerParts.containerCreator,
      volumePolicy: hostSecurity,
      registries: updateParts.registries,
      contentKey: adapters.box.deriveKey('stack-content-digest'),
    }),
  };
  const stacks = stackServices({
    hosts: adapters.hosts,
    db,
    stacksDir: adapters.stacksDir,
    box: adapters.box,
    engine: stackEngine,
    progress: stackProgress,
    logs: containerParts.containerLogs,
    streams: containerParts.containerStreams,
    now,
  });
  const networkParts = networkServices(
    adapters.hosts,
    reservationsRepository,
    hardware,
    containerParts.networkAddresses,
  );
  const fleet = new FleetService({
    hosts: adapters.hosts,
    hardware,
    containers: containerParts.containers,
    images: updateParts.images,
    volumes,
    knownUpdates: () => updateParts.updateChecker.knownUpdates(),
  });
  const backupSchedulesRepository = new BackupSchedulesRepository(db);
  const metricsParts = metricsServices(
    adapters.hosts,
    db,
    logger,
    adapters.metrics ?? DEFAULT_METRICS,
    now,
  );
  const notifications = notificationServices({
    db,
    box: adapters.box,
    logger,
    now,
    options: adapters.notificationDelivery,
  });
  const monitoring = monitoringServices({
    db,
    hosts: adapters.hosts,
    incidents,
    logger,
    notifier: notifications.notifier,
    channels: notifications.notificationChannels,
    containers: containerParts.containers,
    updateChecker: updateParts.updateChecker,
    metrics: metricsParts.metricsSampler,
    hardware,
    backupSchedules: backupSchedulesRepository,
    options: adapters.monitoring,
  });
  const proxyParts = proxyServices({
    routesRepository: new ProxyRoutesRepository(db),
    wakeStats: new WakeStatsRepository(db),
    hosts: adapters.hosts,
    logger,
    config: adapters.proxy ?? DEFAULT_PROXY,
    audit,
    now,
  });
  return {
    hosts: adapters.hosts,
    ...proxyParts,
    ...monitoring,
    fleet,
    ...metricsParts,
    hostSecurity,
    ...containerParts,
    ...updateParts,
    ...networkParts,
    system: new SystemService(adapters.hosts, {
      actions: containerParts.containerActions,
      images: updateParts.images,
      networks: networkParts.networks,
      volumes,
      streams: containerParts.containerStreams,
    }),
    volumes,
    composeConvert: new ComposeConvertService(adapters.hosts, containerParts.containers),
    volumeBackups,
    journalRecovery,
    backupSchedules: new BackupSchedules(
      backupSchedulesRepository,
      volumeBackups,
      audit,
      logger,
      now,
    ),
    settings,
    audit,
    auditSubjects: new EngineAuditSubjects(adapters.hosts),
    twoFactor,
    sessions,
    setup: new SetupService(users, hasher, security.passwordMinLength, security.setupToken),
    auth: new AuthService({
      users,
      sessions,
      tokens,
      hasher,
      twoFactor,
      settings,
      throttle: new LoginThrottle(security.loginMaxFailures, security.loginWindowMs, now),
      devices: new KnownDevices(adapters.box.deriveKey('berth known-device cookie'), now),
      security,
      now,
    }),
    tokens: new TokensService(tokens, now),
    users: new UsersService({
      users,
      sessions,
      hasher,
      hostIds: async () => (await hostsRepository.list()).map((h) => h.id),
      passwordMinLength: security.passwordMinLength,
    }),
    health: new HealthService({
      version: adapters.version,
      startedAt: adapters.startedAt,
      probeDatabase: () => probeDatabase(db),
      hosts: adapters.hosts,
    }),
    preferences: new PreferencesService(new PreferencesRepository(db)),
    prometheus: new PrometheusService({
      hosts: adapters.hosts,
      streams: containerParts.containerStreams.shared(),
      samples: metricsParts.metricsSampler,
    }),
    logAnalysis: new LogAnalysisService(containerParts.containers, containerParts.containerLogs),
    events: new EventsService(adapters.hosts, [
      stackProgress,
      agents,
      monitoring.alertEvaluator,
      metricsParts.metricsSampler,
      swarmParts.swarmMembership,
      serviceParts.swarmEvents,
      proxyParts.proxyReconciler,
    ]),
    ...serviceParts,
    stacks,
    ...swarmParts,
    ...swarmStackServices(adapters.hosts, stacks.catalog, now),
    ...notifications,
    agents,
    agentGateway: new AgentGateway(agents, agentsRepository, audit, logger, now),
    hostRegistry: new HostRegistry({
      hosts: adapters.hosts,
      agents,
      repository: hostsRepository,
      box: adapters.box,
      logger,
      readLocalModel: adapters.readLocalModel,
    }),
    hostsInfo: new HostsService({
      hosts: adapters.hosts,
      hardware,
      readLocalMemory: adapters.readLocalMemory,
      agentStatus: (hostId) => (agents.find(hostId) ? agents.status(hostId) : null),
      swarmOf: (hostId) => swarmParts.swarmMembership.of(hostId),
    }),
    apiLimiter: new RateLimiter(security.apiRateLimitPerMinute, 60_000, now),
    security,
  };
}

function containerServices(
  hosts: EngineHosts,
  environments: EnvironmentsRepository,
  settings: SettingsService,
  reservations: ReservationsRepository,
  hardware: HostHardware,
  journal: OperationJournal,
  policy: HostSecurityService,
  logger: Logger,
  startFailures: IncidentRecorder,
) {
  const containers = new ContainersService(hosts, environments);
  const addresses = new NetworkAddresses(reservations, containers);
  return {
    containers,
    containerActions: new ContainerActions(containers),
    containerLogs: new ContainerLogsService(containers),
    containerFiles: new ContainerFilesService(containers),
    containerStreams: new ContainerStreamsService(containers, logger),
    containerExec: new ContainerExecService(containers),
    containerAttach: new ContainerAttachService(containers),
    containerCreator: new ContainerCreateService({
      hosts,
      containers,
      environments,
      settings,
      addresses,
      hardware,
      journal,
      policy,
      startFailures,
    }),
    networkAddresses: addresses,
  };
}

function updateServices(
  hosts: EngineHosts,
  db: Db,
  box: SecretBox,
  logger: Logger,
  containers: ContainersService,
  creator: ContainerCreateService,
) {
  const tracker = new ImageTagsTracker(new ImageTagsRepository(db), logger);
  // Every host's image changes, those of hosts added later too.
  hosts.eachHost((host) => tracker.watch(host));
  const registries = new RegistriesService(new RegistriesRepository(db), box);
  const imageTransfers = new ImageTransfers(hosts, (reference) =>
    Promise.resolve(registries.authHeader(reference)),
  );
  const updateChecker = new UpdateChecker(
    new UpdateChecksRepository(db),
    hosts,
    registries,
    logger,
  );
  return {
    images: new ImagesService(hosts, tracker),
    imageTransfers,
    imageBuilds: new ImageBuilds(hosts),
    registries,
    updateChecker,
    containerUpdates: new ContainerUpdates(
      new ContainerUpdatesRepository(db),
      containers,
      creator,
      imageTransfers,
      updateChecker,
    ),
  };
}

function networkServices(
  hosts: EngineHosts,
  reservations: ReservationsRepository,
  hardware: HostHardware,
  addresses: NetworkAddresses,
) {
  const networks = new NetworksService(hosts, reservations, hardware);
  return {
    networks,
    networkAttachments: new NetworkAttachments(networks, addresses, reservations),
  };
}
