export function newestMtime(paths: string[]): number;
export function isStale(inputs: string[], stamp: string): boolean;
export function writeStamp(stamp: string): void;
