import { useState } from 'react';

function read<T>(key: string, initial: T): T {
  try {
    const stored = localStorage.getItem(key);
    if (stored === null) return initial;
    const parsed: unknown = JSON.parse(stored);
    const sameKind =
      typeof parsed === typeof initial && Array.isArray(parsed) === Array.isArray(initial);
    return sameKind ? (parsed as T) : initial;
  } catch {
    // Storage refused or a value from elsewhere: the default serves.
    return initial;
  }
}

/** A view choice of this browser (grouping, open groups), kept across visits in localStorage. */
export function useRemembered<T>(key: string, initial: T): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => read(key, initial));
  return [
    value,
    (next) => {
      setValue(next);
      localStorage.setItem(key, JSON.stringify(next));
    },
  ];
}
