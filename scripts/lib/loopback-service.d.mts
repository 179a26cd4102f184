import type { ChildProcess } from 'node:child_process';
export function isRoot(): boolean;
export function aptInstall(packages: string[], why: string): Promise<void>;
export function freePort(): Promise<number>;
export function logTail(path: string): string;
export function halt(child: ChildProcess): Promise<void>;
