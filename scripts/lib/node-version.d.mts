export function satisfies(version: string, range: string): boolean;
export function lowest(range: string): string | null;
export function nodeVersionProblem(version: string, range: string): string | null;
