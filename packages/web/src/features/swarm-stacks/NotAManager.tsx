/** What a host outside a swarm (or a worker) says instead of its swarm stacks. */
export function NotAManager({ nodeState }: { nodeState: string }) {
  return (
    <p className="notice" data-testid="not-a-manager">
      {nodeState === 'active'
        ? 'This host is a swarm worker: swarm stacks are listed and deployed through a manager of the swarm.'
        : `This host is not in a swarm (${nodeState}). Swarm stacks need a swarm manager: an admin can init a swarm on the Swarm page, or add a manager of an existing swarm as a host.`}
    </p>
  );
}
