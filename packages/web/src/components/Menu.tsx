import * as RadixMenu from '@radix-ui/react-dropdown-menu';
import type { ReactNode } from 'react';

export interface MenuItem {
  label: string;
  onSelect: () => void;
  icon?: ReactNode;
  disabled?: boolean;
  danger?: boolean;
}

/** A menu button (Radix: arrow keys, typeahead, Escape, focus back on the button). */
export function Menu({
  label,
  trigger,
  items,
  disabled = false,
}: {
  /** The button's accessible name, e.g. "Actions for web-1". */
  label: string;
  trigger: ReactNode;
  items: MenuItem[];
  disabled?: boolean;
}) {
  return (
    <RadixMenu.Root modal={false}>
      <RadixMenu.Trigger className="btn btn-small" aria-label={label} disabled={disabled}>
        {trigger}
      </RadixMenu.Trigger>
      <RadixMenu.Portal>
        <RadixMenu.Content className="menu" align="end" sideOffset={4}>
          {items.map((item) => (
            <RadixMenu.Item
              key={item.label}
              className={`menu-item${item.danger ? ' menu-item-danger' : ''}`}
              disabled={item.disabled ?? false}
              onSelect={item.onSelect}
            >
              {item.icon}
              {item.label}
            </RadixMenu.Item>
          ))}
        </RadixMenu.Content>
      </RadixMenu.Portal>
    </RadixMenu.Root>
  );
}
