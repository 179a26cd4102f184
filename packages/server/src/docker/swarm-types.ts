/**
 * Swarm objects as the Engine API (1.41) sends and takes them: the raw shapes, only the fields
 * Berth reads or writes. Product logic maps them to the contract's types.
 */

export interface RawVersion {
  Index: number;
}

export interface RawObjectMeta {
  ID: string;
  Version: RawVersion;
  CreatedAt: string;
  UpdatedAt: string;
}

export interface RawSwarm extends RawObjectMeta {
  Spec: {
    Name?: string;
    Labels?: Record<string, string>;
    Orchestration?: { TaskHistoryRetentionLimit?: number };
    Raft?: Record<string, unknown>;
    Dispatcher?: { HeartbeatPeriod?: number };
    CAConfig?: Record<string, unknown>;
    EncryptionConfig?: { AutoLockManagers?: boolean };
  };
  JoinTokens: { Worker: string; Manager: string };
  RootRotationInProgress?: boolean;
  DefaultAddrPool?: string[];
  SubnetSize?: number;
  DataPathPort?: number;
}

/** `/info`'s Swarm section: what the engine knows of its own membership. */
export interface RawSwarmInfo {
  NodeID: string;
  NodeAddr: string;
  /** inactive, pending, active, error or locked. */
  LocalNodeState: string;
  ControlAvailable: boolean;
  Error: string;
  RemoteManagers: { NodeID: string; Addr: string }[] | null;
  Nodes?: number;
  Managers?: number;
  Cluster?: RawSwarm;
}

export type NodeRole = 'worker' | 'manager';
export type NodeAvailability = 'active' | 'pause' | 'drain';

export interface RawNodeSpec {
  Name?: string;
  Labels?: Record<string, string>;
  Role: NodeRole;
  Availability: NodeAvailability;
}

export interface RawNode extends RawObjectMeta {
  Spec: RawNodeSpec;
  Description: {
    Hostname: string;
    Platform: { Architecture: string; OS: string };
    Resources: { NanoCPUs: number; MemoryBytes: number };
    Engine: { EngineVersion: string; Labels?: Record<string, string> };
  };
  Status: {
    /** unknown, down, ready or disconnected. */
    State: string;
    Message?: string;
    Addr: string;
  };
  ManagerStatus?: {
    Leader?: boolean;
    /** unknown, unreachable or reachable. */
    Reachability: string;
    Addr: string;
  };
}

export interface RawMount {
  Type: 'bind' | 'volume' | 'tmpfs' | 'npipe';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  VolumeOptions?: {
    Labels?: Record<string, string>;
    DriverConfig?: { Name?: string; Options?: Record<string, string> };
  };
  TmpfsOptions?: { SizeBytes?: number; Mode?: number };
}

export interface RawFileReference {
  File: { Name: string; UID: string; GID: string; Mode: number };
  SecretID?: string;
  SecretName?: string;
  ConfigID?: string;
  ConfigName?: string;
}

export interface RawHealthcheck {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
}

export interface RawContainerSpec {
  Image: string;
  Labels?: Record<string, string>;
  Command?: string[];
  Args?: string[];
  Hostname?: string;
  Env?: string[];
  Dir?: string;
  User?: string;
  Mounts?: RawMount[];
  StopGracePeriod?: number;
  Healthcheck?: RawHealthcheck;
  Secrets?: RawFileReference[];
  Configs?: RawFileReference[];
  Init?: boolean;
  ReadOnly?: boolean;
  CapabilityAdd?: string[];
  CapabilityDrop?: string[];
}

export interface RawResources {
  NanoCPUs?: number;
  MemoryBytes?: number;
}

export interface RawUpdateConfig {
  Parallelism?: number;
  Delay?: number;
  FailureAction?: 'continue' | 'pause' | 'rollback';
  Monitor?: number;
  MaxFailureRatio?: number;
  Order?: 'stop-first' | 'start-first';
}

export interface RawPortConfig {
  Name?: string;
  Protocol?: 'tcp' | 'udp' | 'sctp';
  TargetPort: number;
  PublishedPort?: number;
  PublishMode?: 'ingress' | 'host';
}

export interface RawTaskSpec {
  ContainerSpec: RawContainerSpec;
  Resources?: { Limits?: RawResources; Reservations?: RawResources };
  RestartPolicy?: {
    Condition?: 'none' | 'on-failure' | 'any';
    Delay?: number;
    MaxAttempts?: number;
    Window?: number;
  };
  Placement?: {
    Constraints?: string[];
    Preferences?: { Spread: { SpreadDescriptor: string } }[];
    MaxReplicas?: number;
  };
  Networks?: { Target: string; Aliases?: string[] }[];
  ForceUpdate?: number;
}

export interface RawServiceSpec {
  Name: string;
  Labels?: Record<string, string>;
  TaskTemplate: RawTaskSpec;
  Mode: { Replicated?: { Replicas?: number }; Global?: Record<string, never> };
  UpdateConfig?: RawUpdateConfig;
  RollbackConfig?: RawUpdateConfig;
  EndpointSpec?: { Mode?: 'vip' | 'dnsrr'; Ports?: RawPortConfig[] };
}

/** `UpdateStatus.State`: a rolling update's progress, and whether it was rolled back. */
export type RawUpdateState =
  | 'updating'
  | 'paused'
  | 'completed'
  | 'rollback_started'
  | 'rollback_paused'
  | 'rollback_completed';

export interface RawService extends RawObjectMeta {
  Spec: RawServiceSpec;
  PreviousSpec?: RawServiceSpec;
  Endpoint?: {
    Spec?: RawServiceSpec['EndpointSpec'];
    Ports?: RawPortConfig[];
    VirtualIPs?: { NetworkID: string; Addr: string }[];
  };
  UpdateStatus?: {
    State: RawUpdateState;
    StartedAt?: string;
    CompletedAt?: string;
    Message?: string;
  };
  /** Present when asked with `?status=true`. */
  ServiceStatus?: { RunningTasks: number; DesiredTasks: number; CompletedTasks?: number };
}

export type RawTaskState =
  | 'new'
  | 'allocated'
  | 'pending'
  | 'assigned'
  | 'accepted'
  | 'preparing'
  | 'ready'
  | 'starting'
  | 'running'
  | 'complete'
  | 'shutdown'
  | 'failed'
  | 'rejected'
  | 'remove'
  | 'orphaned';

export interface RawTask extends RawObjectMeta {
  Name?: string;
  Labels?: Record<string, string>;
  Spec: RawTaskSpec;
  ServiceID: string;
  Slot?: number;
  NodeID?: string;
  Status: {
    Timestamp: string;
    State: RawTaskState;
    Message: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; PID?: number; ExitCode?: number };
  };
  DesiredState: RawTaskState;
}

/** A secret or a config: the value (base64 `Data`) goes in; a secret's never comes back. */
export interface RawSecret extends RawObjectMeta {
  Spec: { Name: string; Labels?: Record<string, string>; Data?: string };
}
export type RawConfig = RawSecret;

// Fields a swarm stack's services set (swarm-stacks), merged into the shapes above.
export interface RawContainerSpec {
  Hosts?: string[];
  DNSConfig?: { Nameservers?: string[]; Search?: string[]; Options?: string[] };
  StopSignal?: string;
  TTY?: boolean;
  OpenStdin?: boolean;
  Groups?: string[];
  Sysctls?: Record<string, string>;
  Ulimits?: { Name: string; Soft: number; Hard: number }[];
}

export interface RawMount {
  BindOptions?: { Propagation?: string };
}

export interface RawResources {
  Pids?: number;
}

export interface RawTaskSpec {
  LogDriver?: { Name: string; Options?: Record<string, string> };
}

/** What `POST /networks/create` takes for a swarm-scoped network. */
export interface RawNetworkCreate {
  Name: string;
  Driver: string;
  Scope?: 'swarm' | 'local';
  Attachable?: boolean;
  Internal?: boolean;
  EnableIPv6?: boolean;
  Labels?: Record<string, string>;
  Options?: Record<string, string>;
  IPAM?: {
    Driver?: string;
    Config?: { Subnet?: string; Gateway?: string; IPRange?: string }[];
  };
  CheckDuplicate?: boolean;
}
