export function ensureShells(): Promise<void>;
