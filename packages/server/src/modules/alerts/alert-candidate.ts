/** A subject a rule's condition holds for now: what an alert is about. */
export interface Candidate {
  /** host/container name, or the host id. */
  subject: string;
  hostId: string;
  containerName: string | null;
  labels: Record<string, string>;
  summary: string;
}

/** Thresholds (%) of the rules that take one, when the rule names none. */
export const DEFAULT_THRESHOLD = { cpu_above: 90, memory_above: 90, disk_usage_above: 90 };
