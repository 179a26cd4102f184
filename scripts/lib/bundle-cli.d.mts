export function cliBundlePath(root?: string): string;
export function cliBundleInputs(root?: string): string[];
export function bundleCli(root?: string): Promise<void>;
