import type { Preferences } from '@berth/contract';
import { Monitor, Moon, Sun } from 'lucide-react';
import { usePreferences, useUpdatePreferences } from '../api/preferences.js';

const THEME_ICONS = { system: Monitor, light: Sun, dark: Moon } as const;

/** Light, dark, or whatever the system prefers (the default); kept per user. */
export function ThemePicker() {
  const { theme } = usePreferences();
  const update = useUpdatePreferences();
  const Icon = THEME_ICONS[theme];
  return (
    <span className="theme-picker">
      <Icon size={16} aria-hidden className="theme-icon" />
      <select
        aria-label="Theme"
        value={theme}
        onChange={(e) => {
          update({ theme: e.target.value as Preferences['theme'] });
        }}
      >
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </span>
  );
}

/** Whether pages show the docker command behind each action; kept per user. */
export function ShowCommandsToggle() {
  const { showCommands } = usePreferences();
  const update = useUpdatePreferences();
  return (
    <label className="toggle">
      <input
        type="checkbox"
        checked={showCommands}
        onChange={(e) => update({ showCommands: e.target.checked })}
      />
      Show commands
    </label>
  );
}
