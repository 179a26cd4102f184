import { agentPathPattern, type AgentPolicy } from '@berth/contract';

/** The Engine API path without its version prefix and query: `/containers/x/exec`. */
export function enginePath(url: string): string {
  const path = url.split('?')[0] ?? '/';
  return path.replace(/^\/v\d+\.\d+(?=\/)/, '');
}

/**
 * Why the agent's policy refuses a request, or null when it goes to the engine. The ping is
 * always allowed: it is how Berth knows the engine is there.
 */
export function refusalOf(policy: AgentPolicy, method: string, url: string): string | null {
  const path = enginePath(url);
  if (path === '/_ping') return null;
  if (policy.readOnly && method !== 'GET' && method !== 'HEAD')
    return `read-only mode: only GET and HEAD reach the engine (${method} ${path} refused)`;
  const denied = patternsOf(policy).find(([, pattern]) => pattern.test(path));
  if (denied !== undefined) return `${method} ${path} is refused (denied path ${denied[0]})`;
  return null;
}

/** A policy's denied paths as expressions, made once per policy rather than per request. */
const compiled = new WeakMap<AgentPolicy, [string, RegExp][]>();
function patternsOf(policy: AgentPolicy): [string, RegExp][] {
  let patterns = compiled.get(policy);
  if (!patterns) {
    patterns = policy.deniedPaths.map((text) => [text, agentPathPattern(text)]);
    compiled.set(policy, patterns);
  }
  return patterns;
}
