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
  Swarm?: { LocalNodeState?: string };
  Warnings: string[] | null;
}

export interface RawErrorBody {
  message?: string;
}
