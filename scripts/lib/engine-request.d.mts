export function engineRequest(
  socketPath: string,
  method: string,
  path: string,
  body?: NodeJS.ReadableStream,
): Promise<{ status: number; text: string }>;
