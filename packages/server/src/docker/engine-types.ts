/**
 * The Engine API's own shapes (API 1.41), limited to the fields Berth reads. The engine client
 * returns these; nothing above the docker/ folder sees an untyped engine response.
 */

export interface RawPort {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: 'tcp' | 'udp' | 'sctp';
}

export interface RawEndpointSettings {
  NetworkID: string;
  EndpointID: string;
  IPAddress: string;
  Aliases?: string[] | null;
  MacAddress?: string;
}

export interface RawContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  Created: number;
  State: string;
  Status: string;
  Ports: RawPort[];
  Labels: Record<string, string> | null;
  NetworkSettings?: { Networks?: Record<string, RawEndpointSettings> | null } | null;
  Mounts?: { Type: string; Name?: string; Source: string; Destination: string }[];
}

export interface RawImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Created: number;
  Size: number;
  Labels: Record<string, string> | null;
  Containers: number;
}

export interface RawNetwork {
  Name: string;
  Id: string;
  Created: string;
  Scope: string;
  Driver: string;
  EnableIPv6: boolean;
  Internal: boolean;
  Attachable: boolean;
  IPAM: {
    Driver: string;
    Config: { Subnet?: string; Gateway?: string; IPRange?: string }[] | null;
  };
  Labels: Record<string, string> | null;
  Options: Record<string, string> | null;
}

export interface RawVolume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt?: string;
  Labels: Record<string, string> | null;
  Scope: string;
  Options: Record<string, string> | null;
}

export interface RawVolumeList {
  Volumes: RawVolume[] | null;
  Warnings: string[] | null;
}

export interface RawEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
  scope?: string;
  time: number;
  timeNano: number;
}

export interface RawVersion {
  Version: string;
  ApiVersion: string;
  MinAPIVersion?: string;
  Os: string;
  Arch: string;
  KernelVersion: string;
}

export interface RawInfo {
  ID: string;
  Name: string;
  Containers: number;
  ContainersRunning: number;
  ContainersPaused: number;
  ContainersStopped: number;
  Images: number;
  Driver: string;
  CgroupDriver: string;
  CgroupVersion?: string;
  KernelVersion: string;
  OperatingSystem: string;
  OSType: string;
  Architecture: string;
  NCPU: number;
  MemTotal: number;
  DockerRootDir: string;
  ServerVersion: string;
  LoggingDriver?: string;
  DefaultRuntime?: string;
  Isolation?: string;
  Swarm?: { LocalNodeState?: string };
  Warnings: string[] | null;
}

export interface RawErrorBody {
  message?: string;
}

export interface RawPortBinding {
  HostIp?: string;
  HostPort?: string;
}

export interface RawMountPoint {
  /** bind, volume, tmpfs or npipe. */
  Type: string;
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode?: string;
  RW: boolean;
}

export interface RawHealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  Retries?: number;
  StartPeriod?: number;
  /** API 1.44 and later. */
  StartInterval?: number;
}

export interface RawDeviceMapping {
  PathOnHost: string;
  PathInContainer: string;
  CgroupPermissions: string;
}

export interface RawRestartPolicy {
  Name: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure';
  MaximumRetryCount?: number;
}

export interface RawMount {
  Type: 'bind' | 'volume' | 'tmpfs';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  Consistency?: string;
  BindOptions?: { Propagation?: string; NonRecursive?: boolean } | null;
  VolumeOptions?: {
    NoCopy?: boolean;
    Labels?: Record<string, string> | null;
    DriverConfig?: { Name?: string; Options?: Record<string, string> | null } | null;
  } | null;
  TmpfsOptions?: { SizeBytes?: number; Mode?: number } | null;
}

export interface RawUlimit {
  Name: string;
  Soft: number;
  Hard: number;
}

/** A per-device blkio setting: a weight, or a rate (bytes or operations per second). */
export interface RawBlkioDevice {
  Path: string;
  Weight?: number;
  Rate?: number;
}

export interface RawDeviceRequest {
  Driver?: string;
  Count?: number;
  DeviceIDs?: string[] | null;
  Capabilities?: string[][] | null;
  Options?: Record<string, string> | null;
}

export interface RawHostConfig {
  Binds?: string[] | null;
  ContainerIDFile?: string;
  PortBindings?: Record<string, RawPortBinding[] | null> | null;
  RestartPolicy?: RawRestartPolicy;
  NetworkMode?: string;
  VolumeDriver?: string;
  VolumesFrom?: string[] | null;
  Memory?: number;
  MemoryReservation?: number;
  MemorySwap?: number;
  MemorySwappiness?: number | null;
  KernelMemory?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  CpuRealtimePeriod?: number;
  CpuRealtimeRuntime?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  CgroupParent?: string;
  BlkioWeight?: number;
  BlkioWeightDevice?: RawBlkioDevice[] | null;
  BlkioDeviceReadBps?: RawBlkioDevice[] | null;
  BlkioDeviceWriteBps?: RawBlkioDevice[] | null;
  BlkioDeviceReadIOps?: RawBlkioDevice[] | null;
  BlkioDeviceWriteIOps?: RawBlkioDevice[] | null;
  PidsLimit?: number | null;
  OomKillDisable?: boolean | null;
  OomScoreAdj?: number;
  Ulimits?: RawUlimit[] | null;
  ShmSize?: number;
  CapAdd?: string[] | null;
  CapDrop?: string[] | null;
  Devices?: RawDeviceMapping[] | null;
  DeviceCgroupRules?: string[] | null;
  DeviceRequests?: RawDeviceRequest[] | null;
  Privileged?: boolean;
  SecurityOpt?: string[] | null;
  MaskedPaths?: string[] | null;
  ReadonlyPaths?: string[] | null;
  GroupAdd?: string[] | null;
  Sysctls?: Record<string, string> | null;
  StorageOpt?: Record<string, string> | null;
  IpcMode?: string;
  PidMode?: string;
  UTSMode?: string;
  UsernsMode?: string;
  CgroupnsMode?: string;
  Runtime?: string;
  Isolation?: string;
  Dns?: string[] | null;
  DnsOptions?: string[] | null;
  DnsSearch?: string[] | null;
  ExtraHosts?: string[] | null;
  Links?: string[] | null;
  PublishAllPorts?: boolean;
  Tmpfs?: Record<string, string> | null;
  LogConfig?: { Type: string; Config?: Record<string, string> | null };
  AutoRemove?: boolean;
  ReadonlyRootfs?: boolean;
  Mounts?: RawMount[] | null;
  Init?: boolean | null;
}

export interface RawContainerConfig {
  Hostname: string;
  Domainname?: string;
  User: string;
  Env: string[] | null;
  Cmd: string[] | null;
  Entrypoint: string[] | null;
  Image: string;
  WorkingDir: string;
  Labels: Record<string, string> | null;
  ExposedPorts?: Record<string, object> | null;
  Healthcheck?: RawHealthConfig;
  /** The shell of CMD-SHELL healthchecks, when the image overrides /bin/sh -c. */
  Shell?: string[] | null;
  StopSignal?: string;
  StopTimeout?: number;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Volumes?: Record<string, object> | null;
  /** Where engines before API 1.44 keep the MAC address asked for at create. */
  MacAddress?: string;
}

export interface RawContainerState {
  Status: string;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  Health?: { Status: string; FailingStreak: number; Log?: { ExitCode: number; Output: string }[] };
}

export interface RawContainerInspect {
  Id: string;
  Created: string;
  Path: string;
  Args: string[];
  State: RawContainerState;
  Image: string;
  Name: string;
  RestartCount: number;
  Config: RawContainerConfig;
  HostConfig: RawHostConfig;
  Mounts: RawMountPoint[];
  NetworkSettings: {
    Networks: Record<
      string,
      RawEndpointSettings & {
        IPAMConfig?: {
          IPv4Address?: string;
          IPv6Address?: string;
          LinkLocalIPs?: string[] | null;
        } | null;
        Links?: string[] | null;
        DriverOpts?: Record<string, string> | null;
      }
    > | null;
    Ports?: Record<string, RawPortBinding[] | null> | null;
  };
}

export interface RawImageInspect {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Config: {
    Cmd: string[] | null;
    Entrypoint: string[] | null;
    Env: string[] | null;
    WorkingDir: string;
    User: string;
    Labels: Record<string, string> | null;
    ExposedPorts?: Record<string, object> | null;
    Healthcheck?: RawHealthConfig;
    Volumes?: Record<string, object> | null;
    StopSignal?: string;
  };
  Os?: string;
  Architecture?: string;
  Variant?: string;
}
