export const CHROMIUM: string;
export function ensureBrowser(): Promise<void>;
