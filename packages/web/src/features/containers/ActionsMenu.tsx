import { Ellipsis, Pause, Play, RotateCw, Square, Trash2, Zap } from 'lucide-react';
import type { ReactNode } from 'react';
import { Menu } from '../../components/Menu.js';
import { ACTION_LABELS, type ContainerAction } from './container-actions.js';

const ICONS: Record<ContainerAction, ReactNode> = {
  start: <Play size={14} aria-hidden />,
  stop: <Square size={14} aria-hidden />,
  restart: <RotateCw size={14} aria-hidden />,
  pause: <Pause size={14} aria-hidden />,
  unpause: <Play size={14} aria-hidden />,
  kill: <Zap size={14} aria-hidden />,
  remove: <Trash2 size={14} aria-hidden />,
};

/** A container's lifecycle actions, those that apply to its state (`actionsFor`), as a menu. */
export function ActionsMenu({
  label,
  actions,
  disabled,
  onAction,
}: {
  label: string;
  actions: ContainerAction[];
  disabled?: boolean;
  onAction: (action: ContainerAction) => void;
}) {
  return (
    <Menu
      label={label}
      trigger={<Ellipsis size={16} aria-hidden />}
      disabled={disabled === true || actions.length === 0}
      items={actions.map((action) => ({
        label: ACTION_LABELS[action],
        icon: ICONS[action],
        danger: action === 'remove' || action === 'kill',
        onSelect: () => onAction(action),
      }))}
    />
  );
}
