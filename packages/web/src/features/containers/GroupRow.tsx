import { ChevronDown, ChevronRight } from 'lucide-react';
import type { CSSProperties } from 'react';
import { Link } from 'react-router';
import { Badge, stateTone } from '../../components/ui.js';
import type { ContainerGroup } from './container-groups.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';

/** A compose project's line in the grouped list: open or close it, and its state at a glance. */
export function GroupRow({
  group,
  collapsed,
  style,
  onToggle,
}: {
  group: ContainerGroup;
  collapsed: boolean;
  style: CSSProperties;
  onToggle: () => void;
}) {
  const host = useCurrentHost();
  const name = group.project ?? 'Not in a compose project';
  const total = group.members.length;
  return (
    <div
      role="row"
      className="tr tr-group"
      style={style}
      data-testid="container-group"
      data-project={group.project ?? ''}
    >
      <span role="cell" className="group-cell">
        <button
          type="button"
          className="btn-icon group-toggle"
          aria-expanded={!collapsed}
          aria-label={`${collapsed ? 'Show' : 'Hide'} the containers of ${name}`}
          onClick={onToggle}
        >
          {collapsed ? (
            <ChevronRight size={16} aria-hidden />
          ) : (
            <ChevronDown size={16} aria-hidden />
          )}
          <strong className={group.project === null ? 'muted' : undefined}>{name}</strong>
        </button>
        {group.project !== null && (
          <Link
            to={hostPath(host, `stacks/${group.project}`)}
            aria-label={`Stack ${group.project}`}
          >
            stack
          </Link>
        )}
        <span data-testid="group-running">
          {group.running}/{total} running
        </span>
        {group.worst !== 'running' && (
          <Badge tone={stateTone(group.worst)}>
            <span data-testid="group-worst">{group.worst}</span>
          </Badge>
        )}
      </span>
    </div>
  );
}
